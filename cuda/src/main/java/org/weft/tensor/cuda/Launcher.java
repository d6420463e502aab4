package org.weft.tensor.cuda;

/**
 * Runs the launches a kernel family computes. The real one ({@link StreamLauncher}) queues
 * them on a GPU stream; tests record them instead, to check each against native/ABI.md.
 */
interface Launcher {

    void launch(Launch launch);
}
