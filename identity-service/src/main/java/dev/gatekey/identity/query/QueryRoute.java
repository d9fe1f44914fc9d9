package dev.gatekey.identity.query;

import dev.gatekey.identity.application.SigV4Authentication;
import dev.gatekey.identity.domain.sigv4.QueryParameters;
import dev.gatekey.identity.domain.sigv4.SignedRequest;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.jboss.logging.Logger;

/**
 * The AWS Query API at {@code /} on the HTTP port: {@code POST} form-encoded (or {@code GET}
 * with a query string) {@code Action=...&Version=...}, every request SigV4-authenticated, the
 * action found in {@link QueryActionRegistry}, the answer written as AWS's XML
 * ({@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata><RequestId>}) or
 * AWS's {@code <ErrorResponse>}. Runs on a worker thread: actions use the database and gRPC.
 */
@ApplicationScoped
public class QueryRoute {
    private static final Logger LOG = Logger.getLogger(QueryRoute.class);
    /** Larger than any IAM request (policy documents are at most 131072 characters). */
    static final long BODY_LIMIT = 512 * 1024;
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    private static final String FORM_ATTRIBUTE_TOO_LARGE = "Size exceed allowed maximum capacity";

    @Inject
    QueryActionRegistry registry;

    @Inject
    SigV4Authentication authentication;

    void register(@Observes Router router) {
        // every method reaches this route, so that nothing at / is answered by Quarkus's default
        // JSON or HTML error pages; the failure handler answers whatever the body handler refuses
        // before Quarkus's own max-body-size check (order -2), which closes the connection with an
        // empty 413: a body announced as larger than the Query API reads is refused unread
        router.route("/").order(-3).handler(QueryRoute::refuseAnnouncedTooLarge)
                .failureHandler(QueryRoute::handleFailure);
        router.route("/")
                .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT).setHandleFileUploads(false))
                .handler(QueryRoute::requireQueryMethod)
                .blockingHandler(this::handle, false)
                .failureHandler(QueryRoute::handleFailure);
    }

    private static void refuseAnnouncedTooLarge(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        long announced;
        try {
            announced = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            announced = -1; // Vert.x's HTTP codec refuses a malformed Content-Length itself
        }
        if (announced > BODY_LIMIT) {
            context.response().putHeader("Connection", "close");
            context.fail(413);
            return;
        }
        context.next();
    }

    /** The Query API is GET with a query string or POST with a form (AWS Query API, "Making requests"). */
    private static void requireQueryMethod(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (HttpMethod.GET.equals(method) || HttpMethod.POST.equals(method)) {
            context.next();
            return;
        }
        String requestId = UUID.randomUUID().toString();
        respond(context, 400, requestId, error(QueryApi.IAM, 400, "MalformedHttpRequestException",
                "The Query API accepts GET and POST requests only, not " + method.name() + ".", requestId));
    }

    /**
     * Whatever failed before an action ran (the body over {@link #BODY_LIMIT}, a form past the
     * HTTP form limits, an unreadable body) as AWS's error envelope, never Quarkus's error page:
     * too large is AWS's common {@code RequestEntityTooLargeException} (413), anything else the
     * client sent is {@code MalformedHttpRequestException} (400) (AWS General Reference, "Common
     * errors"). The message never repeats the request.
     */
    static void handleFailure(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        String requestId = UUID.randomUUID().toString();
        int failed = context.statusCode();
        Throwable failure = context.failure();
        LOG.debugf("Query API request refused before any action: status %d, %s", failed,
                failure == null ? "-" : failure.getClass().getName());
        if (failed == 413 || tooLarge(failure)) {
            respond(context, 413, requestId, error(QueryApi.IAM, 413, "RequestEntityTooLargeException",
                    "The request entity is too large: the Query API reads at most " + BODY_LIMIT / 1024
                            + " KB of form parameters, each at most that long, in a bounded number of fields.",
                    requestId));
        } else if (failed >= 400 && failed < 500 || failure instanceof DecoderException
                || failure instanceof IllegalArgumentException) {
            respond(context, 400, requestId, error(QueryApi.IAM, 400, "MalformedHttpRequestException",
                    "The request could not be read as an AWS Query API request.", requestId));
        } else {
            LOG.error("Unexpected failure reading a Query API request", failure);
            respond(context, 500, requestId, error(QueryApi.IAM, 500, "ServiceFailure",
                    "The request processing has failed because of an unknown error, exception or failure.",
                    requestId));
        }
    }

    /** Vert.x's form decoder refuses a field or a form past quarkus.http.limits.max-form-*. */
    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpPostRequestDecoder.TooLongFormFieldException
                    || t instanceof HttpPostRequestDecoder.TooManyFormFieldsException
                    // Netty's AbstractHttpData.checkSize: an attribute past max-form-attribute-size
                    || t instanceof IOException && FORM_ATTRIBUTE_TOO_LARGE.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    void handle(RoutingContext context) {
        String requestId = UUID.randomUUID().toString();
        QueryApi api = QueryApi.IAM;
        String action = null;
        byte[] body = context.body() == null || context.body().buffer() == null ? new byte[0]
                : context.body().buffer().getBytes();
        try {
            String rawQuery = context.request().query() == null ? "" : context.request().query();
            Map<String, String> parameters = new LinkedHashMap<>();
            for (Map.Entry<String, String> p : QueryParameters.parse(rawQuery)) {
                parameters.putIfAbsent(p.getKey(), p.getValue());
            }
            String contentType = context.request().getHeader("Content-Type");
            if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                for (Map.Entry<String, String> p : QueryParameters.parseForm(new String(body, StandardCharsets.UTF_8))) {
                    parameters.putIfAbsent(p.getKey(), p.getValue());
                }
            }
            action = parameters.get("Action");
            String version = parameters.get("Version");
            final String actionName = action;
            api = version != null ? QueryApi.ofVersion(version).orElse(QueryApi.IAM)
                    : action == null ? QueryApi.IAM : registry.apiOf(action).orElse(QueryApi.IAM);

            SigV4Authentication.Authenticated who = authentication.authenticate(signedRequest(context, body),
                    api.signingName());
            if (actionName == null || actionName.isEmpty()) {
                throw new GatekeyException("MissingAction", ErrorKind.INVALID_INPUT, "Missing Action");
            }
            if (version != null && QueryApi.ofVersion(version).isEmpty()) {
                throw invalidAction(actionName, version);
            }
            QueryApi resolved = api;
            QueryAction handler = registry.find(api, actionName)
                    .orElseThrow(() -> invalidAction(actionName, resolved.version()));
            QueryRequest request = new QueryRequest(actionName, api, requestId, who.caller(), who.accessKeyId(),
                    who.sessionCredentials(), who.region(), parameters);
            QueryResult result = handler.handle(request);
            respond(context, 200, requestId, success(api, actionName, requestId, result));
        } catch (GatekeyException e) {
            int status = QueryErrors.status(e);
            if (status >= 500) {
                LOG.warnf("%s %s failed: %s %s", api, action, e.code(), e.getMessage());
            }
            respond(context, status, requestId, error(api, status, e.code(), e.getMessage(), requestId));
        } catch (RuntimeException | XMLStreamException e) {
            LOG.error("Unexpected failure serving " + api + " " + action, e);
            respond(context, 500, requestId, error(api, 500, "ServiceFailure",
                    "The request processing has failed because of an unknown error, exception or failure.",
                    requestId));
        }
    }

    private static GatekeyException invalidAction(String action, String version) {
        return new GatekeyException("InvalidAction", ErrorKind.INVALID_INPUT,
                "Could not find operation " + action + " for version " + version);
    }

    private static SignedRequest signedRequest(RoutingContext context, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        context.request().headers().forEach(h -> headers.add(new AbstractMap.SimpleImmutableEntry<>(h.getKey(),
                h.getValue())));
        if (context.request().getHeader("Host") == null && context.request().authority() != null) {
            // HTTP/2 carries the host as the :authority pseudo-header, which SigV4 signs as host
            headers.add(new AbstractMap.SimpleImmutableEntry<>("host", context.request().authority().toString()));
        }
        String uri = context.request().uri();
        int q = uri.indexOf('?');
        return new SignedRequest(context.request().method().name(), q < 0 ? uri : uri.substring(0, q),
                q < 0 ? "" : uri.substring(q + 1), headers, body);
    }

    static byte[] success(QueryApi api, String action, String requestId, QueryResult result)
            throws XMLStreamException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        w.writeStartElement(action + "Response");
        w.writeDefaultNamespace(api.namespace());
        if (result != null) {
            w.writeStartElement(action + "Result");
            result.write(new XmlOut(w));
            w.writeEndElement();
        }
        w.writeStartElement("ResponseMetadata");
        w.writeStartElement("RequestId");
        w.writeCharacters(requestId);
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndDocument();
        w.close();
        return out.toByteArray();
    }

    static byte[] error(QueryApi api, int status, String code, String message, String requestId) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("ErrorResponse");
            w.writeDefaultNamespace(api.namespace());
            XmlOut xml = new XmlOut(w);
            xml.nested("Error", e -> e.element("Type", QueryErrors.type(status)).element("Code", code)
                    .element("Message", message));
            xml.element("RequestId", requestId);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
            return out.toByteArray();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(RoutingContext context, int status, String requestId, byte[] xml) {
        context.response().setStatusCode(status)
                .putHeader("Content-Type", "text/xml")
                .putHeader("x-amzn-RequestId", requestId)
                .end(io.vertx.core.buffer.Buffer.buffer(xml));
    }
}
