package org.weft.tensor.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device without a GPU: a capacity, an address space that never reuses addresses, and
 * events that complete only when a test says so (or on synchronize), so tests control what
 * the GPU "has finished".
 */
final class FakeDeviceMemory implements DeviceMemory {

    /** One recorded event: the stream, the time it was recorded, whether it has completed. */
    static final class Event {
        final long stream;
        final long recordedAt;
        boolean completed;
        boolean destroyed;

        Event(long stream, long recordedAt) {
            this.stream = stream;
            this.recordedAt = recordedAt;
        }
    }

    private final long capacity;
    private long used;
    private long nextAddress = 0x7000_0000_0000L;
    final TreeMap<Long, Long> segments = new TreeMap<>();
    final Map<Long, Event> events = new HashMap<>();
    private long nextEvent = 1;
    long clock;
    int mallocCalls;
    int failedMallocs;
    int synchronizeCalls;

    FakeDeviceMemory(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public long malloc(long bytes) {
        mallocCalls++;
        if (bytes <= 0) {
            throw new AssertionError("malloc of " + bytes + " bytes");
        }
        if (used + bytes > capacity) {
            failedMallocs++;
            return 0;
        }
        long a = nextAddress;
        // Leave a gap so that blocks of different segments are never adjacent by accident.
        nextAddress += bytes + CachingAllocator.SEGMENT;
        segments.put(a, bytes);
        used += bytes;
        return a;
    }

    @Override
    public void free(long address) {
        Long size = segments.remove(address);
        if (size == null) {
            throw new AssertionError("free of 0x" + Long.toHexString(address) + ", which malloc did not return");
        }
        used -= size;
    }

    @Override
    public long recordEvent(long stream) {
        long id = nextEvent++;
        events.put(id, new Event(stream, ++clock));
        return id;
    }

    @Override
    public boolean eventCompleted(long event) {
        Event e = live(event);
        return e.completed;
    }

    @Override
    public void destroyEvent(long event) {
        live(event).destroyed = true;
    }

    @Override
    public void synchronize() {
        synchronizeCalls++;
        for (Event e : events.values()) {
            e.completed = true;
        }
    }

    private Event live(long id) {
        Event e = events.get(id);
        if (e == null || e.destroyed) {
            throw new AssertionError("event " + id + " used but not live");
        }
        return e;
    }

    /** Lets the GPU finish everything queued on {@code stream} so far. */
    void completeEvents(long stream) {
        for (Event e : events.values()) {
            if (e.stream == stream) {
                e.completed = true;
            }
        }
    }

    List<Event> eventsOn(long stream) {
        List<Event> out = new ArrayList<>();
        for (Event e : events.values()) {
            if (e.stream == stream) {
                out.add(e);
            }
        }
        return out;
    }

    long used() {
        return used;
    }

    /** Whether [address, address + size) lies inside one live segment. */
    boolean inside(long address, long size) {
        var seg = segments.floorEntry(address);
        return seg != null && address + size <= seg.getKey() + seg.getValue();
    }
}
