package dev.gatekey.identity.query;

import dev.gatekey.identity.application.StsSessions;
import dev.gatekey.platform.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** STS: GetCallerIdentity and GetSessionToken. */
@ApplicationScoped
public class StsActions implements QueryActions {
    @Inject
    StsSessions sessions;

    @Override
    public QueryApi api() {
        return QueryApi.STS;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "GetCallerIdentity", this::getCallerIdentity,
                "GetSessionToken", this::getSessionToken);
    }

    /** No permission is needed (AWS: even an explicit deny does not stop it). */
    QueryResult getCallerIdentity(QueryRequest request) {
        Caller caller = request.caller();
        return xml -> xml.element("UserId", caller.userId())
                .element("Account", caller.accountId())
                .element("Arn", caller.principalArn());
    }

    QueryResult getSessionToken(QueryRequest request) {
        StsSessions.SessionCredentials credentials = sessions.getSessionToken(request.caller(), request.accessKeyId(),
                request.sessionCredentials(), request.integer("DurationSeconds"), request.string("SerialNumber"),
                request.string("TokenCode"));
        return xml -> xml.nested("Credentials", c -> c
                .element("AccessKeyId", credentials.accessKeyId())
                .element("SecretAccessKey", credentials.secretAccessKey())
                .element("SessionToken", credentials.sessionToken())
                .element("Expiration", credentials.expiration()));
    }
}
