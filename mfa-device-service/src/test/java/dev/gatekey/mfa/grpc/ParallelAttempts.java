package dev.gatekey.mfa.grpc;

import dev.gatekey.platform.grpc.GrpcErrors;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Concurrent attempts for the defence tests: all released at once, outcomes in order. */
public final class ParallelAttempts {
    private ParallelAttempts() {
    }

    /** One attempt; returns "Success" (or any outcome) or throws the call's error. */
    @FunctionalInterface
    public interface Attempt {
        String run(int index) throws Exception;
    }

    /** Runs {@code threads} attempts at once; each outcome is what it returned or the error's reason. */
    public static List<String> parallel(int threads, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<String> call = () -> {
                    start.await();
                    try {
                        return attempt.run(index);
                    } catch (StatusRuntimeException e) {
                        return GrpcErrors.reason(e);
                    }
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
