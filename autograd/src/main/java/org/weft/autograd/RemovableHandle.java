package org.weft.autograd;

/** Returned when a hook is registered; {@link #remove()} unregisters it. */
@FunctionalInterface
public interface RemovableHandle {
    void remove();
}
