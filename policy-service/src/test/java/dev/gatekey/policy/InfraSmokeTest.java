package dev.gatekey.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class InfraSmokeTest {
    @Test
    void authorizeNeedsAToken() {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("localhost", 19093).usePlaintext().build();
        try {
            var stub = PolicyServiceGrpc.newBlockingStub(ch);
            var e = assertThrows(StatusRuntimeException.class, () -> stub.authorize(AuthorizeRequest.getDefaultInstance()));
            assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            var r = TestTokens.withBearer(stub, TestTokens.userToken("alice")).authorize(AuthorizeRequest.getDefaultInstance());
            assertEquals("arn:aws:iam::123456789012:user/alice", r.getPrincipalArn());
        } finally {
            ch.shutdownNow();
        }
    }
}
