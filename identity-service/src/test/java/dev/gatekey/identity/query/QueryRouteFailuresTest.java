package dev.gatekey.identity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gatekey.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * Requests refused before any action runs still get AWS's XML {@code <ErrorResponse>} with
 * AWS's status, never Quarkus's JSON or HTML error page: bodies past the Query API's limit,
 * forms past the HTTP form limits, methods other than GET and POST, unreadable bodies.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class QueryRouteFailuresTest {
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String SECRET = "RootTestSecretAccessKey0123456789abcdEFG";

    @TestHTTPResource("/")
    URI endpoint;

    private QueryClient.Answer post(String contentType, String body) {
        return QueryClient.send(HttpRequest.newBuilder(endpoint).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertAwsError(QueryClient.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals("ErrorResponse", answer.root(), answer.toString());
        assertEquals(QueryApiTest.IAM_NS, answer.namespace());
        assertEquals(code, answer.code(), answer.toString());
        assertEquals(status >= 500 ? "Receiver" : "Sender", answer.text("Type"));
        assertEquals(1, answer.count("RequestId"));
        assertFalse(answer.body().contains(SECRET), "an error never repeats the request");
    }

    @Test
    void aBodyOverTheQueryApiLimitIsRequestEntityTooLarge() {
        String body = "Action=ListUsers&Version=2010-05-08&Secret=" + SECRET + "&PolicyDocument="
                + "a".repeat((int) QueryRoute.BODY_LIMIT);
        QueryClient.Answer answer = post(FORM, body);
        assertAwsError(answer, 413, "RequestEntityTooLargeException");
    }

    @Test
    void aBodyOverTheServersBodyLimitIsRequestEntityTooLargeToo() {
        // past quarkus.http.limits.max-body-size (10 MB), announced by Content-Length or streamed
        byte[] huge = ("Action=ListUsers&Version=2010-05-08&PolicyDocument=" + "a".repeat(11 * 1024 * 1024))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertAwsError(QueryClient.send(HttpRequest.newBuilder(endpoint).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build()), 413, "RequestEntityTooLargeException");
        assertAwsError(QueryClient.send(HttpRequest.newBuilder(endpoint).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build()),
                413, "RequestEntityTooLargeException");
    }

    @Test
    void aFormWithMoreFieldsThanTheFormLimitIsRequestEntityTooLarge() {
        StringBuilder body = new StringBuilder("Action=ListUsers&Version=2010-05-08");
        for (int i = 0; i < 20_001; i++) {
            body.append("&p=").append(i % 10);
        }
        QueryClient.Answer answer = post(FORM, body.toString());
        assertAwsError(answer, 413, "RequestEntityTooLargeException");
    }

    @Test
    void methodsOtherThanGetAndPostAreMalformedRequests() {
        for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
            QueryClient.Answer answer = QueryClient.send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", FORM)
                    .method(method, HttpRequest.BodyPublishers.ofString("Action=ListUsers&Version=2010-05-08"))
                    .build());
            assertAwsError(answer, 400, "MalformedHttpRequestException");
        }
    }

    @Test
    void otherContentTypesAreAnsweredAsTheQueryApi() {
        // not a form: no parameters are read from the body, and the request is not signed
        assertAwsError(post("application/json", "{\"Action\":\"ListUsers\"}"), 403, "MissingAuthenticationToken");
        assertAwsError(post("text/plain", "Action=ListUsers"), 403, "MissingAuthenticationToken");
    }

    @Test
    void anUnreadableMultipartBodyIsMalformed() {
        QueryClient.Answer answer = post("multipart/form-data; boundary=xyz", "--xyz\r\nnot a part\r\n");
        assertEquals("ErrorResponse", answer.root(), answer.toString());
        assertEquals(QueryApiTest.IAM_NS, answer.namespace());
    }
}
