package dev.gatekey.policy.persistence;

import dev.gatekey.platform.error.GatekeyException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * JDBC access to the policy tables. Callers provide the transaction ({@code @Transactional} on
 * the application service); connections taken here enlist in it.
 */
@ApplicationScoped
public class PolicyRepository {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String POLICY_COLUMNS = "p.policy_id, p.account_id, p.policy_name, p.path, p.arn, "
            + "p.description, p.default_version_id, p.created_at, p.updated_at, "
            + "(SELECT count(*) FROM user_policy_attachment a WHERE a.policy_id = p.policy_id) AS attachments";

    @Inject
    AgroalDataSource dataSource;

    /** Inserts the policy and its first version; false when the name is taken in the account. */
    public boolean insertPolicy(ManagedPolicyRecord policy, PolicyVersionRecord version) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO managed_policy (policy_id, account_id, "
                    + "policy_name, path, arn, description, default_version_id, next_version_number, created_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 2, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, policy.policyId());
                s.setString(2, policy.accountId());
                s.setString(3, policy.policyName());
                s.setString(4, policy.path());
                s.setString(5, policy.arn());
                s.setString(6, policy.description());
                s.setString(7, policy.defaultVersionId());
                s.setTimestamp(8, Timestamp.from(policy.createdAt()));
                s.setTimestamp(9, Timestamp.from(policy.updatedAt()));
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO policy_version (policy_id, version_id, "
                    + "document, is_default, created_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, version.policyId());
                s.setString(2, version.versionId());
                s.setString(3, version.document());
                s.setBoolean(4, version.isDefault());
                s.setTimestamp(5, Timestamp.from(version.createdAt()));
                s.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public Optional<ManagedPolicyRecord> findPolicyByArn(String accountId, String arn) {
        return queryOne("SELECT " + POLICY_COLUMNS + " FROM managed_policy p WHERE p.account_id = ? AND p.arn = ?",
                accountId, arn);
    }

    public Optional<PolicyVersionRecord> findVersion(String policyId, String versionId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT policy_id, version_id, document, is_default, "
                        + "created_at FROM policy_version WHERE policy_id = ? AND version_id = ?")) {
            s.setString(1, policyId);
            s.setString(2, versionId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PolicyVersionRecord(r.getString(1), r.getString(2), r.getString(3),
                        r.getBoolean(4), r.getTimestamp(5).toInstant()));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Attaches; false when it was already attached (AttachUserPolicy is idempotent). */
    public boolean attachUserPolicy(String accountId, String userName, String policyId, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO user_policy_attachment (account_id, user_name, "
                        + "user_name_key, policy_id, attached_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, accountId);
            s.setString(2, userName);
            s.setString(3, userName.toLowerCase(Locale.ROOT));
            s.setString(4, policyId);
            s.setTimestamp(5, Timestamp.from(now));
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The managed policies attached to a user, ordered by name, with their default version ids:
     * the one query on the authorization hot path.
     */
    public List<AttachedPolicyRecord> attachedUserPolicies(String accountId, String userName) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT p.policy_id, p.policy_name, p.arn, "
                        + "p.default_version_id FROM user_policy_attachment a JOIN managed_policy p "
                        + "ON p.policy_id = a.policy_id WHERE a.account_id = ? AND a.user_name_key = ? "
                        + "ORDER BY p.policy_name")) {
            s.setString(1, accountId);
            s.setString(2, userName.toLowerCase(Locale.ROOT));
            List<AttachedPolicyRecord> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new AttachedPolicyRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Optional<ManagedPolicyRecord> queryOne(String sql, String... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ManagedPolicyRecord(r.getString("policy_id"), r.getString("account_id"),
                        r.getString("policy_name"), r.getString("path"), r.getString("arn"),
                        r.getString("description"), r.getString("default_version_id"), r.getInt("attachments"),
                        r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant()));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static RuntimeException failure(SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return GatekeyException.entityAlreadyExists("The entity already exists.");
        }
        return new IllegalStateException("Policy store failure", e);
    }
}
