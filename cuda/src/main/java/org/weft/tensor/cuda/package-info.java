/**
 * The CUDA backend: Weft's arrays on NVIDIA GPUs, through the CUDA driver API as the JavaCPP
 * presets bind it. Every CUDA type stays in this package; {@code tensor} finds
 * {@link org.weft.tensor.cuda.CudaBackendFactory} by name when a CUDA device is first asked
 * for, so a machine without a GPU never loads JavaCPP.
 *
 * <p>From the bottom up:
 * <ul>
 *   <li>{@code CudaProbe} loads the driver once and says which GPUs there are, or why none is
 *       usable ({@code weft info} prints it).</li>
 *   <li>{@code CudaContext}, {@code CudaStream}, {@code CudaEvent}, {@code PinnedBuffer}: thin
 *       owners of driver objects; failures are {@code CudaException}s naming the call, what Weft
 *       was doing and the driver's error.</li>
 *   <li>{@code CachingAllocator} over {@code DeviceMemory}: size classes, splitting and merging,
 *       stream-ordered reuse, a clear out-of-memory error. Pure Java, tested on a fake device;
 *       {@code DriverMemory} is the real one.</li>
 *   <li>{@code CudaStorage}: a {@link org.weft.tensor.Storage} over an allocator block, released by
 *       the step's {@link org.weft.tensor.MemoryScope} (a Cleaner is only the safety net).</li>
 *   <li>{@code KernelLibrary}, {@code CudaModule}, {@code Nvrtc}, {@code CudaKernel},
 *       {@code KernelArgs}: Weft's kernels from the build's fatbin, or compiled at run time by
 *       NVRTC, launched by name with typed arguments.</li>
 *   <li>{@code Launch}, {@code Launcher}, {@code StreamLauncher}, {@code WeftStrides},
 *       {@code Scratch}: the seam between kernel families and the GPU. A family computes each
 *       launch (kernel name, grid, block, arguments in native/ABI.md's parameter order, strided
 *       operands as merged {@code WeftStrides}); {@code StreamLauncher} queues it on the stream,
 *       and the tests record it instead, checking it against ABI.md without a GPU.</li>
 *   <li>{@code CudaCopy}, {@code CudaElementwise}, {@code CudaReduction} ({@code ReductionPlan}),
 *       {@code CudaLinalg}, {@code CudaRandom}, {@code CudaNorm} (softmax, batch and layer norm),
 *       {@code CudaConv} (convolution, pooling): the wired kernel families. {@code HostTransfer}:
 *       arrays to and from the host through pinned staging buffers, waiting for the GPU only
 *       when values are read on the host.</li>
 *   <li>{@code CudaBackend}: allocation, transfers and the seven families above. The index
 *       family, and the ops of wired families without kernels (cumsum, sort, pairwise
 *       distances, the losses, max pooling backward, upsampling, F16 arithmetic), fail with
 *       "not yet implemented on CUDA: ..." ({@code NotOnCuda}), never falling back to the CPU.</li>
 * </ul>
 *
 * <p>Status: nothing of the wired families has run on a GPU yet. Their launches are checked
 * against native/ABI.md on machines without one; {@code CudaOpsDeviceTest} holds every wired op
 * against the CPU backend and waits for a GPU run.
 *
 * <p>Only functions of the CUDA 13.0 driver are called: the bindings come from 13.1 headers,
 * and a 13.1-only function would kill the JVM on a 13.0 driver with an uncatchable error.
 */
package org.weft.tensor.cuda;
