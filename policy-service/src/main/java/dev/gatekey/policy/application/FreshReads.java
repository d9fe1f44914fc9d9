package dev.gatekey.policy.application;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.ToLongFunction;

/**
 * Reads of a per-key value (an account's policy generation) shared between concurrent callers
 * without ever giving a caller a value older than its call: a caller joins the next read of its
 * key, which starts only after every caller that joined it has arrived, so each caller gets a
 * value read after it called — as fresh as a read of its own (PostgreSQL READ COMMITTED: a
 * statement sees every transaction committed before it began). While one read of a key runs,
 * callers that arrive queue up for the following one; at most one read per key runs at a time,
 * so under load one read serves many decisions.
 */
final class FreshReads {
    /** One read: the callers that joined it before it started share its result. */
    private static final class Round {
        final CompletableFuture<Long> result = new CompletableFuture<>();
        boolean started;
    }

    /** Per key: the read running now (if any) and the one being joined. */
    private static final class Slot {
        Round running;
        Round joining;
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ToLongFunction<String> read;
    private final int maxKeys;

    FreshReads(ToLongFunction<String> read, int maxKeys) {
        this.read = read;
        this.maxKeys = maxKeys;
    }

    long get(String key) {
        Slot slot = slot(key);
        Round mine;
        synchronized (slot) {
            if (slot.joining == null) {
                slot.joining = new Round();
            }
            mine = slot.joining;
        }
        while (true) {
            Round wait;
            synchronized (slot) {
                if (mine.started) {
                    break; // another caller runs it
                }
                if (slot.running == null) {
                    // no read is running: start ours; later callers join a new round
                    mine.started = true;
                    slot.running = mine;
                    slot.joining = null;
                    wait = null;
                } else {
                    wait = slot.running;
                }
            }
            if (wait == null) {
                run(slot, key, mine);
                break;
            }
            wait.result.handle((v, e) -> null).join();
        }
        try {
            return mine.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + key, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Runs the read; the slot is free again before its callers wake up. */
    private void run(Slot slot, String key, Round round) {
        long value;
        try {
            value = read.applyAsLong(key);
        } catch (RuntimeException | Error e) {
            release(slot);
            round.result.completeExceptionally(e);
            return;
        }
        release(slot);
        round.result.complete(value);
    }

    private static void release(Slot slot) {
        synchronized (slot) {
            slot.running = null;
        }
    }

    private Slot slot(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            if (slots.size() >= maxKeys) {
                // an idle slot holds nothing; a caller still using a removed one stays correct
                slots.clear();
            }
            slot = slots.computeIfAbsent(key, k -> new Slot());
        }
        return slot;
    }
}
