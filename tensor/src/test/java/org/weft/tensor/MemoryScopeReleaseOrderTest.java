package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MemoryScope on its own, with resources that only record their release. */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
class MemoryScopeReleaseOrderTest {

    /** A resource that appends its name to a log when released; it fails if asked to. */
    private static final class Recorded implements Releasable {
        final String name;
        final List<String> log;
        final boolean fails;
        boolean released;

        Recorded(String name, List<String> log, boolean fails) {
            this.name = name;
            this.log = log;
            this.fails = fails;
            MemoryScope.track(this);
        }

        @Override
        public void release() {
            released = true;
            log.add(name);
            if (fails) {
                throw new IllegalStateException(name + " failed to release");
            }
        }

        @Override
        public boolean isReleased() {
            return released;
        }
    }

    @Test
    void resourcesAreReleasedNewestFirst() {
        List<String> log = new ArrayList<>();
        try (var s = MemoryScope.open()) {
            new Recorded("a", log, false);
            new Recorded("b", log, false);
            new Recorded("c", log, false);
        }
        assertEquals(List.of("c", "b", "a"), log);
    }

    @Test
    void oneFailedReleaseDoesNotLeakTheOthers() {
        List<String> log = new ArrayList<>();
        MemoryScope s = MemoryScope.open();
        new Recorded("a", log, true);
        new Recorded("b", log, false);
        new Recorded("c", log, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::close);
        assertEquals(List.of("c", "b", "a"), log);
        assertEquals("c failed to release", e.getMessage());
        assertEquals("a failed to release", e.getSuppressed()[0].getMessage());
        assertNull(MemoryScope.current(), "the scope is closed even so");
    }

    @Test
    void withoutAnOpenScopeNothingIsTracked() {
        assertNull(MemoryScope.current());
        List<String> log = new ArrayList<>();
        Releasable r = new Recorded("free-standing", log, false);
        assertNull(MemoryScope.track(r));
        try (var p = MemoryScope.persistent()) {
            assertSame(p, MemoryScope.current());
            assertNull(MemoryScope.track(r));
        }
        assertTrue(log.isEmpty());
    }

    @Test
    void closingTwiceIsHarmless() {
        List<String> log = new ArrayList<>();
        MemoryScope s = MemoryScope.open();
        new Recorded("a", log, false);
        s.close();
        s.close();
        assertEquals(List.of("a"), log);
    }
}
