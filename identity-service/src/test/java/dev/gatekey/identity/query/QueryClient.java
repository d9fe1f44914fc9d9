package dev.gatekey.identity.query;

import dev.gatekey.identity.domain.sigv4.SignatureV4;
import dev.gatekey.identity.domain.sigv4.SignedRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A minimal AWS Query client for the tests: form-encodes the parameters, signs like the AWS
 * CLI (SigV4, headers content-type, host, x-amz-date and x-amz-security-token), posts to the
 * service's HTTP port and parses the XML answer.
 */
final class QueryClient {
    static final String REGION = "eu-west-3";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** AWS credentials (token null for long-term keys). */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        static Credentials longTerm(String id, String secret) {
            return new Credentials(id, secret, null);
        }
    }

    /** An answer: HTTP status and the parsed XML. */
    record Answer(int status, String body, Document xml) {
        /** The text of the first element with this local name, or null. */
        String text(String name) {
            NodeList nodes = xml.getElementsByTagNameNS("*", name);
            return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
        }

        List<String> texts(String name) {
            NodeList nodes = xml.getElementsByTagNameNS("*", name);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                values.add(nodes.item(i).getTextContent());
            }
            return values;
        }

        int count(String name) {
            return xml.getElementsByTagNameNS("*", name).getLength();
        }

        String root() {
            return xml.getDocumentElement().getLocalName();
        }

        String namespace() {
            return xml.getDocumentElement().getNamespaceURI();
        }

        String code() {
            return text("Code");
        }

        Element first(String name) {
            return (Element) xml.getElementsByTagNameNS("*", name).item(0);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final URI endpoint;

    QueryClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    Answer iam(Credentials credentials, String action, String... parameters) {
        return call(credentials, "iam", "2010-05-08", action, parameters);
    }

    Answer sts(Credentials credentials, String action, String... parameters) {
        return call(credentials, "sts", "2011-06-15", action, parameters);
    }

    /** {@code parameters} are name, value, name, value, ... */
    Answer call(Credentials credentials, String service, String version, String action, String... parameters) {
        StringBuilder body = new StringBuilder("Action=").append(encode(action)).append("&Version=").append(version);
        for (int i = 0; i < parameters.length; i += 2) {
            body.append('&').append(encode(parameters[i])).append('=').append(encode(parameters[i + 1]));
        }
        return post(credentials, service, body.toString(), Instant.now());
    }

    Answer post(Credentials credentials, String service, String body, Instant at) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String contentType = "application/x-www-form-urlencoded; charset=utf-8";
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (credentials != null) {
            String amzDate = AMZ_DATE.format(at.atOffset(ZoneOffset.UTC));
            List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                    Map.entry("Content-Type", contentType),
                    Map.entry("Host", endpoint.getAuthority()),
                    Map.entry("X-Amz-Date", amzDate)));
            String signedHeaders = "content-type;host;x-amz-date";
            if (credentials.sessionToken() != null) {
                headers.add(new AbstractMap.SimpleEntry<>("X-Amz-Security-Token", credentials.sessionToken()));
                signedHeaders += ";x-amz-security-token";
                request.header("X-Amz-Security-Token", credentials.sessionToken());
            }
            String scope = amzDate.substring(0, 8) + "/" + REGION + "/" + service + "/aws4_request";
            String canonical = SignatureV4.canonicalRequest(new SignedRequest("POST", "/", "", headers, bytes),
                    List.of(signedHeaders.split(";")), false);
            String signature = SignatureV4.signature(SignatureV4.signingKey(
                    credentials.secretAccessKey().getBytes(StandardCharsets.US_ASCII), amzDate.substring(0, 8), REGION,
                    service), SignatureV4.stringToSign(amzDate, scope, canonical));
            request.header("X-Amz-Date", amzDate).header("Authorization", "AWS4-HMAC-SHA256 Credential="
                    + credentials.accessKeyId() + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature="
                    + signature);
        }
        return send(request.build());
    }

    /** Sends a request as built and parses the answer, which must be XML. */
    static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                    response.body().getBytes(StandardCharsets.UTF_8)));
            return new Answer(response.statusCode(), response.body(), xml);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
