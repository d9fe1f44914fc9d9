package dev.gatekey.identity.query;

import dev.gatekey.identity.application.LoginProfiles;
import dev.gatekey.identity.domain.AccountPasswordPolicy;
import dev.gatekey.identity.domain.LoginProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Console passwords: Create/Get/Update/DeleteLoginProfile, ChangePassword and
 * Get/Update/DeleteAccountPasswordPolicy.
 */
@ApplicationScoped
public class PasswordActions implements QueryActions {
    @Inject
    LoginProfiles profiles;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "CreateLoginProfile", this::createLoginProfile,
                "GetLoginProfile", this::getLoginProfile,
                "UpdateLoginProfile", this::updateLoginProfile,
                "DeleteLoginProfile", this::deleteLoginProfile,
                "ChangePassword", this::changePassword,
                "GetAccountPasswordPolicy", this::getAccountPasswordPolicy,
                "UpdateAccountPasswordPolicy", this::updateAccountPasswordPolicy,
                "DeleteAccountPasswordPolicy", this::deleteAccountPasswordPolicy);
    }

    QueryResult createLoginProfile(QueryRequest request) {
        LoginProfile profile = profiles.create(request.caller(), request.required("UserName"),
                request.required("Password"), request.bool("PasswordResetRequired").orElse(false));
        return xml -> xml.nested("LoginProfile", p -> profile(p, profile));
    }

    QueryResult getLoginProfile(QueryRequest request) {
        LoginProfile profile = profiles.get(request.caller(), request.required("UserName"));
        return xml -> xml.nested("LoginProfile", p -> profile(p, profile));
    }

    QueryResult updateLoginProfile(QueryRequest request) {
        profiles.update(request.caller(), request.required("UserName"), request.string("Password"),
                request.bool("PasswordResetRequired"));
        return QueryResult.NONE;
    }

    QueryResult deleteLoginProfile(QueryRequest request) {
        profiles.delete(request.caller(), request.required("UserName"));
        return QueryResult.NONE;
    }

    QueryResult changePassword(QueryRequest request) {
        profiles.changePassword(request.caller(), request.required("OldPassword"), request.required("NewPassword"));
        return QueryResult.NONE;
    }

    QueryResult getAccountPasswordPolicy(QueryRequest request) {
        AccountPasswordPolicy policy = profiles.getPolicy(request.caller());
        return xml -> xml.nested("PasswordPolicy", p -> p
                .element("MinimumPasswordLength", policy.minimumPasswordLength())
                .element("RequireSymbols", policy.requireSymbols())
                .element("RequireNumbers", policy.requireNumbers())
                .element("RequireUppercaseCharacters", policy.requireUppercaseCharacters())
                .element("RequireLowercaseCharacters", policy.requireLowercaseCharacters())
                .element("AllowUsersToChangePassword", policy.allowUsersToChangePassword())
                .element("ExpirePasswords", policy.maxPasswordAge().isPresent())
                .optional("MaxPasswordAge", policy.maxPasswordAge())
                .optional("PasswordReusePrevention", policy.passwordReusePrevention())
                .element("HardExpiry", policy.hardExpiry()));
    }

    /** Omitted parameters take AWS's defaults (length 6, nothing required, users may not change). */
    QueryResult updateAccountPasswordPolicy(QueryRequest request) {
        profiles.updatePolicy(request.caller(), new AccountPasswordPolicy(
                request.integer("MinimumPasswordLength").orElse(6),
                request.bool("RequireSymbols").orElse(false),
                request.bool("RequireNumbers").orElse(false),
                request.bool("RequireUppercaseCharacters").orElse(false),
                request.bool("RequireLowercaseCharacters").orElse(false),
                request.bool("AllowUsersToChangePassword").orElse(false),
                request.integer("MaxPasswordAge"),
                request.integer("PasswordReusePrevention"),
                request.bool("HardExpiry").orElse(false)));
        return QueryResult.NONE;
    }

    QueryResult deleteAccountPasswordPolicy(QueryRequest request) {
        profiles.deletePolicy(request.caller());
        return QueryResult.NONE;
    }

    static void profile(XmlOut xml, LoginProfile profile) throws javax.xml.stream.XMLStreamException {
        xml.element("UserName", profile.userName()).element("CreateDate", profile.createDate())
                .element("PasswordResetRequired", profile.passwordResetRequired());
    }
}
