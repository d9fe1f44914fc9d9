package dev.gatekey.bench;

import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * VerifyTotp over gRPC against PostgreSQL on loopback, replay check intact: an embedded
 * PostgreSQL, the packaged service (quarkus-run.jar) as a separate process, many enabled
 * devices seeded directly (so that no code is a replay), then (1) a closed-loop run with a
 * fixed number of calls in flight for the maximum rate and (2) an open-loop run at half that
 * rate for latency percentiles. Every accepted code is a real acceptance: a device's step only
 * moves forward.
 *
 * <p>Arguments: path of quarkus-run.jar, then optional key=value: devices, inflight,
 * warmupSeconds, seconds.
 */
public final class VerifyTotpBench {
    private static final String ACCOUNT = "123456789012";
    private static final String KEY_RING = "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private record Device(String user, String serial, Totp totp, AtomicLong nextStep, AtomicInteger busy) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int devices = intArg(args, "devices", 40_000);
        int inflight = intArg(args, "inflight", 64);
        int warmup = intArg(args, "warmupSeconds", 10);
        int seconds = intArg(args, "seconds", 20);

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            int grpcPort = freePort();
            Path publicKey = Files.createTempFile("gatekey-bench-jwt", ".pem");
            try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream("gatekey-test/jwt-public.pem")) {
                Files.write(publicKey, in.readAllBytes());
            }
            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString());
            var env = pb.environment();
            env.put("GATEKEY_MFA_DB_URL", url);
            env.put("GATEKEY_MFA_DB_USER", "postgres");
            env.put("GATEKEY_MFA_DB_PASSWORD", "postgres");
            env.put("GATEKEY_BIND_HOST", "127.0.0.1");
            env.put("GATEKEY_MFA_GRPC_PORT", Integer.toString(grpcPort));
            env.put("GATEKEY_MFA_HTTP_PORT", Integer.toString(freePort()));
            env.put("GATEKEY_MFA_SEED_KEYS", KEY_RING);
            env.put("GATEKEY_MFA_SEED_ACTIVE_KEY_ID", "bench");
            env.put("GATEKEY_JWT_ISSUER", TestTokens.ISSUER);
            env.put("GATEKEY_JWT_PUBLIC_KEY_LOCATION", "file:" + publicKey);
            env.put("GATEKEY_POLICY_GRPC_HOST", "127.0.0.1");
            env.put("GATEKEY_POLICY_GRPC_PORT", "1"); // VerifyTotp asks no policy question
            pb.redirectErrorStream(true).redirectOutput(Path.of(System.getProperty("bench.log", "mfa-service.log")).toFile());
            Process service = pb.start();
            try {
                waitForPort(grpcPort, service);
                List<Device> seeded = seed(url, devices);
                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
                try {
                    var stub = BearerToken.attach(MfaDeviceServiceGrpc.newStub(channel), TestTokens.sign(new Caller(
                            "gatekey:service/identity-service", PrincipalType.SERVICE, "", "", "", Optional.empty(),
                            Optional.empty(), Instant.now(), null)));
                    Load load = new Load(stub, seeded);
                    System.out.printf("devices=%d inflight=%d (closed loop), warm-up %d s, measure %d s%n", devices,
                            inflight, warmup, seconds);
                    load.closedLoop(inflight, warmup, false);
                    Result max = load.closedLoop(inflight, seconds, true);
                    System.out.printf("MAX      %s%n", max);
                    double half = max.perSecond() / 2;
                    Result latency = load.openLoop(half, seconds);
                    System.out.printf("HALF     %s (target %.0f/s)%n", latency, half);
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            } finally {
                service.destroy();
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
                Files.deleteIfExists(publicKey);
            }
        }
    }

    /** Enabled virtual devices, one user each, seeds encrypted as the service stores them. */
    private static List<Device> seed(String url, int count) throws Exception {
        SeedCipher cipher = SeedCipher.fromConfiguration(KEY_RING, "bench", new SecureRandom());
        SecureRandom random = new SecureRandom();
        List<Device> devices = new ArrayList<>(count);
        long nowStep = Instant.now().getEpochSecond() / 30;
        try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres")) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO mfa_devices (serial_number, account_id, "
                    + "device_type, device_name, path, seed_ciphertext, seed_nonce, seed_key_id, totp_algorithm, "
                    + "totp_digits, totp_period_seconds, user_name, enable_date, drift_steps, last_used_step) "
                    + "VALUES (?, ?, 'VIRTUAL', ?, '/', ?, ?, ?, 'SHA1', 6, 30, ?, ?, 0, ?)")) {
                for (int i = 0; i < count; i++) {
                    byte[] seed = new byte[20];
                    random.nextBytes(seed);
                    String name = "bench-" + i;
                    String serial = "arn:aws:iam::" + ACCOUNT + ":mfa/" + name;
                    EncryptedSeed sealed = cipher.encrypt(seed, serial);
                    insert.setString(1, serial);
                    insert.setString(2, ACCOUNT);
                    insert.setString(3, name);
                    insert.setBytes(4, sealed.ciphertext());
                    insert.setBytes(5, sealed.nonce());
                    insert.setString(6, sealed.keyId());
                    insert.setString(7, "user-" + i);
                    insert.setTimestamp(8, Timestamp.from(Instant.now()));
                    insert.setLong(9, nowStep - 2);
                    insert.addBatch();
                    devices.add(new Device("user-" + i, serial, new Totp(seed, TotpParameters.VIRTUAL_DEVICE),
                            new AtomicLong(nowStep - 1), new AtomicInteger()));
                    Arrays.fill(seed, (byte) 0);
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            try (var s = c.createStatement()) {
                s.execute("ANALYZE mfa_devices");
            }
        }
        return devices;
    }

    /** A run's outcome. */
    record Result(long accepted, long failed, long skipped, double seconds, long[] latenciesMicros) {
        double perSecond() {
            return accepted / seconds;
        }

        @Override
        public String toString() {
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            return String.format("%,.0f accepted/s (%d accepted, %d rejected, %d no fresh code) p50 %.2f ms, "
                    + "p90 %.2f ms, p99 %.2f ms, max %.2f ms", perSecond(), accepted, failed, skipped,
                    pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 100));
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1000.0;
        }
    }

    /** Sends VerifyTotp for devices in turn, each with its next unused code. */
    static final class Load {
        private final MfaDeviceServiceGrpc.MfaDeviceServiceStub stub;
        private final List<Device> devices;
        private final AtomicInteger cursor = new AtomicInteger();

        Load(MfaDeviceServiceGrpc.MfaDeviceServiceStub stub, List<Device> devices) {
            this.stub = stub;
            this.devices = devices;
        }

        Result closedLoop(int inflight, int seconds, boolean record) throws InterruptedException {
            Semaphore permits = new Semaphore(inflight);
            Counters counters = new Counters(record);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                permits.acquire();
                if (!send(counters, permits::release)) {
                    permits.release();
                }
            }
            permits.acquire(inflight);
            return counters.result((System.nanoTime() - start) / 1e9);
        }

        Result openLoop(double perSecond, int seconds) throws InterruptedException {
            Counters counters = new Counters(true);
            long interval = (long) (1e9 / perSecond);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            Semaphore outstanding = new Semaphore(10_000);
            for (long next = start; next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                outstanding.acquire();
                if (!send(counters, outstanding::release)) {
                    outstanding.release();
                }
            }
            outstanding.acquire(10_000);
            return counters.result((System.nanoTime() - start) / 1e9);
        }

        /** Sends one request for the next device with a fresh code; false when none was found. */
        private boolean send(Counters counters, Runnable done) {
            long nowStep = Instant.now().getEpochSecond() / 30;
            for (int attempt = 0; attempt < devices.size(); attempt++) {
                Device d = devices.get(Math.floorMod(cursor.getAndIncrement(), devices.size()));
                if (!d.busy().compareAndSet(0, 1)) {
                    continue;
                }
                // the current step first: a code of the previous step may fall out of the window in flight
                long step = Math.max(d.nextStep().get(), nowStep);
                if (step > nowStep + 1) {
                    d.busy().set(0);
                    continue;
                }
                d.nextStep().set(step + 1);
                VerifyTotpRequest request = VerifyTotpRequest.newBuilder().setAccountId(ACCOUNT).setUserName(d.user())
                        .setSerialNumber(d.serial()).setAuthenticationCode(d.totp().code(step)).build();
                long sent = System.nanoTime();
                stub.verifyTotp(request, new StreamObserver<>() {
                    @Override
                    public void onNext(VerifyTotpResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        d.busy().set(0);
                        counters.failed(System.nanoTime() - sent, t);
                        done.run();
                    }

                    @Override
                    public void onCompleted() {
                        d.busy().set(0);
                        counters.accepted(System.nanoTime() - sent);
                        done.run();
                    }
                });
                return true;
            }
            counters.skipped.incrementAndGet();
            return false;
        }
    }

    static final class Counters {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final boolean record;
        final long[] latencies = new long[2_000_000];
        final AtomicInteger recorded = new AtomicInteger();

        Counters(boolean record) {
            this.record = record;
        }

        void accepted(long nanos) {
            accepted.incrementAndGet();
            keep(nanos);
        }

        final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> reasons = new java.util.concurrent.ConcurrentHashMap<>();

        void failed(long nanos, Throwable t) {
            failed.incrementAndGet();
            String reason = t instanceof io.grpc.StatusRuntimeException e
                    ? java.util.Objects.toString(dev.gatekey.platform.grpc.GrpcErrors.reason(e), e.getStatus().getCode().name())
                    : t.getClass().getSimpleName();
            reasons.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
            keep(nanos);
        }

        private void keep(long nanos) {
            if (record) {
                int i = recorded.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = nanos / 1000;
                }
            }
        }

        Result result(double seconds) {
            if (!reasons.isEmpty()) {
                System.out.println("         rejections by reason: " + reasons);
            }
            return new Result(accepted.get(), failed.get(), skipped.get(), seconds,
                    Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length)));
        }
    }

    private static void waitForPort(int port, Process service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("mfa-device-service exited; see its log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("mfa-device-service did not start");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 1));
            }
        }
        return fallback;
    }
}
