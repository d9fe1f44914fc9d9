package dev.gatekey.policy.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FreshReadsTest {

    /** A store whose generation moves on with every commit; a read sees what was committed when it began. */
    private static final class Store {
        final AtomicLong committed = new AtomicLong();
        final AtomicInteger reads = new AtomicInteger();

        long read(String account) {
            reads.incrementAndGet();
            long seen = committed.get();
            try {
                Thread.sleep(2); // the round trip, during which further commits and callers arrive
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return seen;
        }
    }

    @Test
    void noCallerGetsAValueOlderThanACommitMadeBeforeItsCallWhileReadsAreShared() throws Exception {
        Store store = new Store();
        FreshReads reads = new FreshReads(store::read, 100);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> stale = new ArrayList<>();
        int callsPerThread = 100;
        for (int t = 0; t < 16; t++) {
            stale.add(pool.submit(() -> {
                int staleValues = 0;
                for (int i = 0; i < callsPerThread; i++) {
                    long mustSee = (i % 3 == 0) ? store.committed.incrementAndGet() : store.committed.get();
                    if (reads.get("123456789012") < mustSee) {
                        staleValues++;
                    }
                }
                return staleValues;
            }));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        for (Future<Integer> f : stale) {
            assertEquals(0, f.get());
        }
        // and the reads were shared: far fewer reads than calls
        assertTrue(store.reads.get() < 16 * callsPerThread / 2, store.reads.get() + " reads");
    }

    @Test
    void aFailedReadReachesItsCallersAndTheNextCallReadsAgain() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException down = new IllegalStateException("database unavailable");
        FreshReads reads = new FreshReads(account -> {
            if (calls.incrementAndGet() == 1) {
                throw down;
            }
            return 7;
        }, 100);

        assertSame(down, assertThrows(IllegalStateException.class, () -> reads.get("123456789012")));
        assertEquals(7, reads.get("123456789012"));
        assertEquals(2, calls.get());
    }

    @Test
    void keysAreReadSeparately() {
        FreshReads reads = new FreshReads(account -> Long.parseLong(account.substring(0, 3)), 2);

        assertEquals(111, reads.get("111111111111"));
        assertEquals(222, reads.get("222222222222"));
        assertEquals(333, reads.get("333333333333"));
        assertEquals(111, reads.get("111111111111"));
    }
}
