package dev.gatekey.bench.policy;

import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Authorize over gRPC on loopback against the standard gRPC health {@code Check} of the same
 * server in the same run. Starts an embedded PostgreSQL and the packaged policy-service
 * (quarkus-run.jar, its own JVM, loopback), creates AWS's self-manage-credentials policy with
 * {@code DenyAllExceptListedIfNoMFA} through the API and attaches it to {@code users} users;
 * then, for each number of calls in flight, runs closed loops (each completion sends the next
 * call) of: Health/Check without a token (what probes send), Authorize with the users' session
 * tokens (with and without MFA, four typical requests in turn, every decision checked), and
 * Health/Check carrying a token (the transport plus token verification, no decision).
 *
 * <p>Arguments: path of quarkus-run.jar, then optional key=value: inflight (comma-separated,
 * default 1,16,64), warmupSeconds (5), seconds (4), rounds (4: the kinds alternate, so that
 * load from elsewhere on the machine falls on all of them), users (16).
 */
public final class AuthorizeLoad {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;

    /** One kind of call: sends call number {@code n} and reports its outcome to {@code done}. */
    interface Kind {
        void send(long n, BiConsumer<Boolean, Throwable> done);
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int[] inflight = Arrays.stream(arg(args, "inflight", "1,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int warmup = Integer.parseInt(arg(args, "warmupSeconds", "5"));
        int seconds = Integer.parseInt(arg(args, "seconds", "4"));
        int rounds = Integer.parseInt(arg(args, "rounds", "4"));
        int users = Integer.parseInt(arg(args, "users", "16"));

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            int grpcPort = freePort();
            Path publicKey = Files.createTempFile("gatekey-bench-jwt", ".pem");
            try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream("gatekey-test/jwt-public.pem")) {
                Files.write(publicKey, in.readAllBytes());
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx512m"));
            String extra = System.getProperty("bench.serviceJvmArgs", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+"))); // e.g. a JFR recording
            }
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder pb = new ProcessBuilder(command);
            var env = pb.environment();
            env.put("GATEKEY_POLICY_DB_URL", pg.getJdbcUrl("postgres", "postgres"));
            env.put("GATEKEY_POLICY_DB_USER", "postgres");
            env.put("GATEKEY_POLICY_DB_PASSWORD", "postgres");
            env.put("GATEKEY_BIND_HOST", "127.0.0.1");
            env.put("GATEKEY_POLICY_GRPC_PORT", Integer.toString(grpcPort));
            env.put("GATEKEY_POLICY_HTTP_PORT", Integer.toString(freePort()));
            env.put("GATEKEY_JWT_ISSUER", TestTokens.ISSUER);
            env.put("GATEKEY_JWT_PUBLIC_KEY_LOCATION", "file:" + publicKey);
            pb.redirectErrorStream(true)
                    .redirectOutput(Path.of(System.getProperty("bench.log", "policy-service.log")).toFile());
            Process service = pb.start();
            ManagedChannel channel = null;
            try {
                waitForPort(grpcPort, service);
                channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().directExecutor()
                        .build();
                awaitServing(channel);
                run(channel, users, inflight, warmup, seconds, rounds);
            } finally {
                if (channel != null) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                service.destroy();
                if (!service.waitFor(30, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
                Files.deleteIfExists(publicKey);
            }
        }
    }

    private static void run(ManagedChannel channel, int users, int[] inflight, int warmup, int seconds, int rounds)
            throws InterruptedException {
        // the policy through the API, as an administrator would create and attach it
        var admin = BearerToken.attach(PolicyServiceGrpc.newBlockingStub(channel), TestTokens.rootToken());
        String arn = admin.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName("SelfManageMfaAndCredentials")
                .setPolicyDocument(DecisionBenchmark.resource("policies/aws-self-manage-mfa-and-creds.json"))
                .build()).getPolicy().getArn();
        for (int u = 0; u < users; u++) {
            admin.attachUserPolicy(AttachUserPolicyRequest.newBuilder().setUserName(user(u)).setPolicyArn(arn).build());
        }

        // per user, a session signed in with MFA and a password-only one; four typical requests
        int calls = users * 4;
        PolicyServiceGrpc.PolicyServiceStub[] stubs = new PolicyServiceGrpc.PolicyServiceStub[calls];
        AuthorizeRequest[] requests = new AuthorizeRequest[calls];
        Decision[] expected = new Decision[calls];
        for (int u = 0; u < users; u++) {
            String self = "arn:aws:iam::" + ACCOUNT + ":user/" + user(u);
            var mfa = BearerToken.attach(PolicyServiceGrpc.newStub(channel), TestTokens.userTokenWithMfa(user(u), 60));
            var noMfa = BearerToken.attach(PolicyServiceGrpc.newStub(channel), TestTokens.userToken(user(u)));
            int i = u * 4;
            set(stubs, requests, expected, i, mfa, "iam:CreateAccessKey", self, Decision.DECISION_ALLOWED);
            set(stubs, requests, expected, i + 1, noMfa, "iam:CreateAccessKey", self, Decision.DECISION_EXPLICIT_DENY);
            set(stubs, requests, expected, i + 2, noMfa, "iam:EnableMFADevice", self, Decision.DECISION_ALLOWED);
            set(stubs, requests, expected, i + 3, mfa, "s3:GetObject", "arn:aws:s3:::reports/q3.csv",
                    Decision.DECISION_IMPLICIT_DENY);
        }
        Kind authorize = (n, done) -> {
            int i = (int) (n % calls);
            stubs[i].authorize(requests[i], observer(r -> r.getDecision() == expected[i], done));
        };
        HealthCheckRequest check = HealthCheckRequest.getDefaultInstance();
        HealthGrpc.HealthStub health = HealthGrpc.newStub(channel);
        Kind healthCheck = (n, done) -> health.check(check, observer(AuthorizeLoad::serving, done));
        HealthGrpc.HealthStub[] healthWithToken = new HealthGrpc.HealthStub[calls];
        for (int i = 0; i < calls; i++) {
            healthWithToken[i] = BearerToken.attach(HealthGrpc.newStub(channel),
                    i % 2 == 0 ? TestTokens.userTokenWithMfa(user(i / 4), 60) : TestTokens.userToken(user(i / 4)));
        }
        Kind healthCheckWithToken = (n, done) -> healthWithToken[(int) (n % calls)].check(check,
                observer(AuthorizeLoad::serving, done));

        System.out.printf("users=%d (%d distinct tokens), warm-up %d s, %d round(s) of %d s per kind and level%n",
                users, users * 2, warmup, rounds, seconds);
        System.out.printf("%-9s | %-34s | %-34s | %-34s | %-19s%n", "in flight", "Health/Check (no token)",
                "Authorize", "Health/Check (with token)", "Authorize/Health");
        System.out.printf("%-9s | %-34s | %-34s | %-34s | %-19s%n", "", "calls/s    p50 ms   p99 ms",
                "calls/s    p50 ms   p99 ms", "calls/s    p50 ms   p99 ms", "throughput  p99");
        for (int k : inflight) {
            closedLoop(healthCheck, k, warmup, false);
            closedLoop(authorize, k, warmup, false);
            closedLoop(healthCheckWithToken, k, warmup, false);
            Result h = Result.EMPTY;
            Result a = Result.EMPTY;
            Result t = Result.EMPTY;
            for (int r = 0; r < rounds; r++) {
                h = h.plus(closedLoop(healthCheck, k, seconds, true));
                a = a.plus(closedLoop(authorize, k, seconds, true));
                t = t.plus(closedLoop(healthCheckWithToken, k, seconds, true));
            }
            System.out.printf("%-9d | %s | %s | %s | %6.0f %%  %6.2f x%n", k, h, a, t,
                    100 * a.perSecond() / h.perSecond(), a.percentile(99) / h.percentile(99));
            if (h.failed + a.failed + t.failed > 0) {
                throw new IllegalStateException("failed or wrong answers: health " + h.failed + ", authorize "
                        + a.failed + ", health with token " + t.failed + "; see the service log");
            }
        }
    }

    private static void set(PolicyServiceGrpc.PolicyServiceStub[] stubs, AuthorizeRequest[] requests,
            Decision[] expected, int i, PolicyServiceGrpc.PolicyServiceStub stub, String action, String resource,
            Decision decision) {
        stubs[i] = stub;
        requests[i] = AuthorizeRequest.newBuilder().setAction(action).setResource(resource).build();
        expected[i] = decision;
    }

    private static String user(int u) {
        return "bench-user-" + u;
    }

    private static boolean serving(HealthCheckResponse r) {
        return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    }

    private static <T> StreamObserver<T> observer(java.util.function.Predicate<T> correct,
            BiConsumer<Boolean, Throwable> done) {
        return new StreamObserver<>() {
            boolean ok;

            @Override
            public void onNext(T value) {
                ok = correct.test(value);
            }

            @Override
            public void onError(Throwable t) {
                done.accept(false, t);
            }

            @Override
            public void onCompleted() {
                done.accept(ok, null);
            }
        };
    }

    /** {@code inflight} chains of calls; each completion sends the chain's next call until the time is up. */
    static Result closedLoop(Kind kind, int inflight, int seconds, boolean record) throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger recorded = new AtomicInteger();
        long[] latencies = new long[record ? 4_000_000 : 0];
        AtomicLong firstError = new AtomicLong();
        CountDownLatch chains = new CountDownLatch(inflight);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (int c = 0; c < inflight; c++) {
            new Object() {
                void next() {
                    long sent = System.nanoTime();
                    if (sent >= end) {
                        chains.countDown();
                        return;
                    }
                    kind.send(sequence.getAndIncrement(), (good, error) -> {
                        long now = System.nanoTime();
                        if (good) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            if (error != null && firstError.compareAndSet(0, 1)) {
                                System.err.println("call failed: " + error);
                            }
                        }
                        if (record) {
                            int i = recorded.getAndIncrement();
                            if (i < latencies.length) {
                                latencies[i] = now - sent;
                            }
                        }
                        next();
                    });
                }
            }.next();
        }
        chains.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] kept = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
        return new Result(ok.get(), failed.get(), elapsed, kept);
    }

    /** Completed calls over a measured time, with their latencies in nanoseconds. */
    record Result(long ok, long failed, double seconds, long[] latencies) {
        static final Result EMPTY = new Result(0, 0, 0, new long[0]);

        Result plus(Result o) {
            long[] all = Arrays.copyOf(latencies, latencies.length + o.latencies.length);
            System.arraycopy(o.latencies, 0, all, latencies.length, o.latencies.length);
            return new Result(ok + o.ok, failed + o.failed, seconds + o.seconds, all);
        }

        double perSecond() {
            return ok / seconds;
        }

        /** Milliseconds. */
        double percentile(double p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%8.0f  %7.3f  %7.3f          ", perSecond(), percentile(50), percentile(99));
        }
    }

    private static void awaitServing(ManagedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        while (true) {
            try {
                if (serving(health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()))) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(250);
        }
    }

    private static void waitForPort(int port, Process service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("policy-service exited; see its log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("policy-service did not start");
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
