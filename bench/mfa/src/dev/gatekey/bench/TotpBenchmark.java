package dev.gatekey.bench;

import dev.gatekey.mfa.domain.HmacAlgorithm;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** TOTP computation alone (the product's {@link Totp}): codes per second, one thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TotpBenchmark {
    @Param({"SHA1", "SHA256", "SHA512"})
    public String algorithm;

    private Totp totp;
    private long step;

    @Setup
    public void setUp() {
        byte[] seed = new byte[20];
        new SecureRandom().nextBytes(seed);
        totp = new Totp(seed, new TotpParameters(HmacAlgorithm.valueOf(algorithm), 6, 30));
        step = 59_000_000L;
    }

    /** One code (HMAC + dynamic truncation), as the verifier computes for each candidate step. */
    @Benchmark
    public String code() {
        return totp.code(step++);
    }

    /** A sign-in check: the three candidate steps of the ±1 window, compared in constant time. */
    @Benchmark
    public boolean signInWindow() {
        String candidate = "123456";
        long s = step++;
        return totp.matches(candidate, s - 1) | totp.matches(candidate, s) | totp.matches(candidate, s + 1);
    }
}
