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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * JDBC access to the policy tables. Callers provide the transaction ({@code @Transactional} on
 * the application service); connections taken here enlist in it. Names of users and groups
 * are matched ignoring case (IAM names are case-insensitive), through the {@code *_key}
 * columns.
 */
@ApplicationScoped
public class PolicyRepository {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String POLICY_COLUMNS = "p.policy_id, p.account_id, p.policy_name, p.path, p.arn, "
            + "p.description, p.default_version_id, p.created_at, p.updated_at, "
            + "(SELECT count(*) FROM user_policy_attachment a WHERE a.policy_id = p.policy_id)"
            + " + (SELECT count(*) FROM group_policy_attachment g WHERE g.policy_id = p.policy_id) AS attachments, "
            + "(SELECT count(*) FROM user_permissions_boundary b WHERE b.policy_id = p.policy_id) AS boundaries";

    @Inject
    AgroalDataSource dataSource;

    /** Row mapper. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet r) throws SQLException;
    }

    // ---------------------------------------------------------------- generation (cache coherence)

    /** Bumps the account's generation; called in the transaction of every change to its policies. */
    public void bumpGeneration(String accountId) {
        update("INSERT INTO policy_generation (account_id, generation) VALUES (?, 1) ON CONFLICT (account_id) "
                + "DO UPDATE SET generation = policy_generation.generation + 1", accountId);
    }

    /** The account's generation, 0 when nothing was ever changed. */
    public long generation(String accountId) {
        List<Long> g = query("SELECT generation FROM policy_generation WHERE account_id = ?", r -> r.getLong(1),
                accountId);
        return g.isEmpty() ? 0 : g.get(0);
    }

    // ---------------------------------------------------------------- managed policies

    /** Inserts the policy and its first version; false when the name is taken in the account. */
    public boolean insertPolicy(ManagedPolicyRecord policy, PolicyVersionRecord version) {
        int n = update("INSERT INTO managed_policy (policy_id, account_id, policy_name, path, arn, description, "
                + "default_version_id, next_version_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 2, ?, ?) "
                + "ON CONFLICT DO NOTHING", policy.policyId(), policy.accountId(), policy.policyName(), policy.path(),
                policy.arn(), policy.description(), policy.defaultVersionId(), Timestamp.from(policy.createdAt()),
                Timestamp.from(policy.updatedAt()));
        if (n == 0) {
            return false;
        }
        insertVersion(version);
        return true;
    }

    public Optional<ManagedPolicyRecord> findPolicyByArn(String accountId, String arn) {
        return first(query("SELECT " + POLICY_COLUMNS + " FROM managed_policy p WHERE p.account_id = ? AND p.arn = ?",
                PolicyRepository::policy, accountId, arn));
    }

    /** Locks the policy's row for the rest of the transaction (version changes, deletion). */
    public Optional<ManagedPolicyRecord> lockPolicyByArn(String accountId, String arn) {
        List<String> ids = query("SELECT policy_id FROM managed_policy WHERE account_id = ? AND arn = ? FOR UPDATE",
                r -> r.getString(1), accountId, arn);
        return ids.isEmpty() ? Optional.empty() : findPolicyByArn(accountId, arn);
    }

    /** The account's managed policies ordered by name (filters are applied by the caller). */
    public List<ManagedPolicyRecord> listPolicies(String accountId) {
        return query("SELECT " + POLICY_COLUMNS + " FROM managed_policy p WHERE p.account_id = ? "
                + "ORDER BY lower(p.policy_name)", PolicyRepository::policy, accountId);
    }

    public void deletePolicy(String policyId) {
        update("DELETE FROM managed_policy WHERE policy_id = ?", policyId);
    }

    public int countPolicies(String accountId) {
        return count("SELECT count(*) FROM managed_policy WHERE account_id = ?", accountId);
    }

    /** Attachments to users and groups plus uses as a permissions boundary, in the account. */
    public int countPolicyUses(String accountId) {
        return count("SELECT (SELECT count(*) FROM user_policy_attachment WHERE account_id = ?) "
                + "+ (SELECT count(*) FROM group_policy_attachment WHERE account_id = ?) "
                + "+ (SELECT count(*) FROM user_permissions_boundary WHERE account_id = ?)", accountId, accountId,
                accountId);
    }

    // ---------------------------------------------------------------- versions

    public void insertVersion(PolicyVersionRecord version) {
        update("INSERT INTO policy_version (policy_id, version_id, document, is_default, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", version.policyId(), version.versionId(), version.document(),
                version.isDefault(), Timestamp.from(version.createdAt()));
    }

    /** The next version number of a policy, then advanced (the row must be locked). */
    public int takeNextVersionNumber(String policyId) {
        List<Integer> n = query("UPDATE managed_policy SET next_version_number = next_version_number + 1 "
                + "WHERE policy_id = ? RETURNING next_version_number - 1", r -> r.getInt(1), policyId);
        return n.get(0);
    }

    public Optional<PolicyVersionRecord> findVersion(String policyId, String versionId) {
        return first(query("SELECT policy_id, version_id, document, is_default, created_at FROM policy_version "
                + "WHERE policy_id = ? AND version_id = ?", PolicyRepository::version, policyId, versionId));
    }

    /** The versions, newest first. */
    public List<PolicyVersionRecord> listVersions(String policyId) {
        return query("SELECT policy_id, version_id, document, is_default, created_at FROM policy_version "
                + "WHERE policy_id = ? ORDER BY created_at DESC, length(version_id) DESC, version_id DESC",
                PolicyRepository::version, policyId);
    }

    public void setDefaultVersion(String policyId, String versionId, Instant now) {
        update("UPDATE policy_version SET is_default = false WHERE policy_id = ? AND is_default", policyId);
        update("UPDATE policy_version SET is_default = true WHERE policy_id = ? AND version_id = ?", policyId,
                versionId);
        update("UPDATE managed_policy SET default_version_id = ?, updated_at = ? WHERE policy_id = ?", versionId,
                Timestamp.from(now), policyId);
    }

    public void touchPolicy(String policyId, Instant now) {
        update("UPDATE managed_policy SET updated_at = ? WHERE policy_id = ?", Timestamp.from(now), policyId);
    }

    public void deleteVersion(String policyId, String versionId) {
        update("DELETE FROM policy_version WHERE policy_id = ? AND version_id = ?", policyId, versionId);
    }

    // ---------------------------------------------------------------- tags

    public List<TagRecord> tags(String policyId) {
        return query("SELECT tag_key, tag_value FROM policy_tag WHERE policy_id = ? ORDER BY tag_key",
                r -> new TagRecord(r.getString(1), r.getString(2)), policyId);
    }

    /** Adds or overwrites tags; a key differing only in case replaces the stored one. */
    public void putTags(String policyId, Collection<TagRecord> tags) {
        for (TagRecord t : tags) {
            update("DELETE FROM policy_tag WHERE policy_id = ? AND lower(tag_key) = lower(?)", policyId, t.key());
            update("INSERT INTO policy_tag (policy_id, tag_key, tag_value) VALUES (?, ?, ?)", policyId, t.key(),
                    t.value());
        }
    }

    public void deleteTags(String policyId, Collection<String> keys) {
        for (String k : keys) {
            update("DELETE FROM policy_tag WHERE policy_id = ? AND lower(tag_key) = lower(?)", policyId, k);
        }
    }

    // ---------------------------------------------------------------- attachments

    /** Attaches; false when it was already attached (AttachUserPolicy is idempotent). */
    public boolean attachUserPolicy(String accountId, String userName, String userPath, String policyId, Instant now) {
        return update("INSERT INTO user_policy_attachment (account_id, user_name, user_name_key, user_path, policy_id, "
                + "attached_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", accountId, userName, key(userName),
                userPath, policyId, Timestamp.from(now)) == 1;
    }

    public boolean attachUserPolicy(String accountId, String userName, String policyId, Instant now) {
        return attachUserPolicy(accountId, userName, "/", policyId, now);
    }

    public boolean detachUserPolicy(String accountId, String userName, String policyId) {
        return update("DELETE FROM user_policy_attachment WHERE account_id = ? AND user_name_key = ? AND policy_id = ?",
                accountId, key(userName), policyId) == 1;
    }

    public boolean attachGroupPolicy(String accountId, String groupName, String groupPath, String policyId,
            Instant now) {
        return update("INSERT INTO group_policy_attachment (account_id, group_name, group_name_key, group_path, "
                + "policy_id, attached_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", accountId, groupName,
                key(groupName), groupPath, policyId, Timestamp.from(now)) == 1;
    }

    public boolean detachGroupPolicy(String accountId, String groupName, String policyId) {
        return update("DELETE FROM group_policy_attachment WHERE account_id = ? AND group_name_key = ? "
                + "AND policy_id = ?", accountId, key(groupName), policyId) == 1;
    }

    /**
     * The managed policies attached to a user, ordered by name, with their default version ids.
     */
    public List<AttachedPolicyRecord> attachedUserPolicies(String accountId, String userName) {
        return query("SELECT p.policy_id, p.policy_name, p.arn, p.default_version_id, p.path FROM user_policy_attachment a "
                + "JOIN managed_policy p ON p.policy_id = a.policy_id WHERE a.account_id = ? AND a.user_name_key = ? "
                + "ORDER BY lower(p.policy_name)", PolicyRepository::attached, accountId, key(userName));
    }

    public List<AttachedPolicyRecord> attachedGroupPolicies(String accountId, String groupName) {
        return query("SELECT p.policy_id, p.policy_name, p.arn, p.default_version_id, p.path FROM group_policy_attachment a "
                + "JOIN managed_policy p ON p.policy_id = a.policy_id WHERE a.account_id = ? AND a.group_name_key = ? "
                + "ORDER BY lower(p.policy_name)", PolicyRepository::attached, accountId, key(groupName));
    }

    /** Groups (by name), then users (by name), then boundary users (by name) of a policy. */
    public List<PolicyEntityRecord> entitiesForPolicy(String policyId) {
        List<PolicyEntityRecord> out = new ArrayList<>();
        out.addAll(query("SELECT group_name, group_path FROM group_policy_attachment WHERE policy_id = ? "
                + "ORDER BY group_name_key", r -> new PolicyEntityRecord(PrincipalType.GROUP, r.getString(1),
                        r.getString(2), false), policyId));
        out.addAll(query("SELECT user_name, user_path FROM user_policy_attachment WHERE policy_id = ? "
                + "ORDER BY user_name_key", r -> new PolicyEntityRecord(PrincipalType.USER, r.getString(1),
                        r.getString(2), false), policyId));
        out.addAll(query("SELECT user_name, user_path FROM user_permissions_boundary WHERE policy_id = ? "
                + "ORDER BY user_name_key", r -> new PolicyEntityRecord(PrincipalType.USER, r.getString(1),
                        r.getString(2), true), policyId));
        return out;
    }

    // ---------------------------------------------------------------- inline policies

    /** Creates or replaces an inline policy (a new row, hence a new inline id). */
    public void putInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName,
            String document, Instant now) {
        update("DELETE FROM inline_policy WHERE account_id = ? AND principal_type = ? AND principal_key = ? "
                + "AND lower(policy_name) = lower(?)", accountId, type.column(), key(principalName), policyName);
        update("INSERT INTO inline_policy (account_id, principal_type, principal_name, principal_key, policy_name, "
                + "document, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", accountId, type.column(), principalName,
                key(principalName), policyName, document, Timestamp.from(now));
    }

    public Optional<InlinePolicyRecord> findInlinePolicy(String accountId, PrincipalType type, String principalName,
            String policyName) {
        return first(query("SELECT inline_id, principal_name, policy_name, document FROM inline_policy "
                + "WHERE account_id = ? AND principal_type = ? AND principal_key = ? AND lower(policy_name) = lower(?)",
                PolicyRepository::inline, accountId, type.column(), key(principalName), policyName));
    }

    public boolean deleteInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName) {
        return update("DELETE FROM inline_policy WHERE account_id = ? AND principal_type = ? AND principal_key = ? "
                + "AND lower(policy_name) = lower(?)", accountId, type.column(), key(principalName), policyName) == 1;
    }

    /** A principal's inline policies ordered by name. */
    public List<InlinePolicyRecord> inlinePolicies(String accountId, PrincipalType type, String principalName) {
        return query("SELECT inline_id, principal_name, policy_name, document FROM inline_policy "
                + "WHERE account_id = ? AND principal_type = ? AND principal_key = ? ORDER BY lower(policy_name)",
                PolicyRepository::inline, accountId, type.column(), key(principalName));
    }

    // ---------------------------------------------------------------- permissions boundaries

    public void putBoundary(String accountId, String userName, String userPath, String policyId) {
        update("INSERT INTO user_permissions_boundary (account_id, user_name, user_name_key, user_path, policy_id) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, user_name_key) DO UPDATE SET policy_id = "
                + "excluded.policy_id, user_name = excluded.user_name, user_path = excluded.user_path", accountId,
                userName, key(userName), userPath, policyId);
    }

    public boolean deleteBoundary(String accountId, String userName) {
        return update("DELETE FROM user_permissions_boundary WHERE account_id = ? AND user_name_key = ?", accountId,
                key(userName)) == 1;
    }

    public Optional<AttachedPolicyRecord> boundary(String accountId, String userName) {
        return first(query("SELECT p.policy_id, p.policy_name, p.arn, p.default_version_id, p.path "
                + "FROM user_permissions_boundary b JOIN managed_policy p ON p.policy_id = b.policy_id "
                + "WHERE b.account_id = ? AND b.user_name_key = ?", PolicyRepository::attached, accountId,
                key(userName)));
    }

    // ---------------------------------------------------------------- group membership mirror

    public void setUserGroups(String accountId, String userName, Collection<String> groupNames) {
        update("DELETE FROM user_group_membership WHERE account_id = ? AND user_name_key = ?", accountId,
                key(userName));
        for (String g : groupNames) {
            update("INSERT INTO user_group_membership (account_id, user_name, user_name_key, group_name, "
                    + "group_name_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", accountId, userName,
                    key(userName), g, key(g));
        }
    }

    public List<String> userGroups(String accountId, String userName) {
        return query("SELECT group_name FROM user_group_membership WHERE account_id = ? AND user_name_key = ? "
                + "ORDER BY group_name_key", r -> r.getString(1), accountId, key(userName));
    }

    public List<String> groupUsers(String accountId, String groupName) {
        return query("SELECT user_name FROM user_group_membership WHERE account_id = ? AND group_name_key = ? "
                + "ORDER BY user_name_key", r -> r.getString(1), accountId, key(groupName));
    }

    // ---------------------------------------------------------------- renames

    /** Whether anything is stored under a user name. */
    public boolean userHasRecords(String accountId, String userName) {
        String k = key(userName);
        return count("SELECT (SELECT count(*) FROM user_policy_attachment WHERE account_id = ? AND user_name_key = ?) "
                + "+ (SELECT count(*) FROM inline_policy WHERE account_id = ? AND principal_type = 'user' "
                + "AND principal_key = ?) + (SELECT count(*) FROM user_permissions_boundary WHERE account_id = ? "
                + "AND user_name_key = ?) + (SELECT count(*) FROM user_group_membership WHERE account_id = ? "
                + "AND user_name_key = ?)", accountId, k, accountId, k, accountId, k, accountId, k) > 0;
    }

    public boolean groupHasRecords(String accountId, String groupName) {
        String k = key(groupName);
        return count("SELECT (SELECT count(*) FROM group_policy_attachment WHERE account_id = ? AND group_name_key = ?) "
                + "+ (SELECT count(*) FROM inline_policy WHERE account_id = ? AND principal_type = 'group' "
                + "AND principal_key = ?) + (SELECT count(*) FROM user_group_membership WHERE account_id = ? "
                + "AND group_name_key = ?)", accountId, k, accountId, k, accountId, k) > 0;
    }

    public void renameUser(String accountId, String oldName, String newName, String newPath) {
        String o = key(oldName);
        String n = key(newName);
        update("UPDATE user_policy_attachment SET user_name = ?, user_name_key = ?, user_path = coalesce(?, user_path) "
                + "WHERE account_id = ? AND user_name_key = ?", newName, n, newPath, accountId, o);
        update("UPDATE inline_policy SET principal_name = ?, principal_key = ? WHERE account_id = ? "
                + "AND principal_type = 'user' AND principal_key = ?", newName, n, accountId, o);
        update("UPDATE user_permissions_boundary SET user_name = ?, user_name_key = ?, "
                + "user_path = coalesce(?, user_path) WHERE account_id = ? AND user_name_key = ?", newName, n,
                newPath, accountId, o);
        update("UPDATE user_group_membership SET user_name = ?, user_name_key = ? WHERE account_id = ? "
                + "AND user_name_key = ?", newName, n, accountId, o);
    }

    public void renameGroup(String accountId, String oldName, String newName, String newPath) {
        String o = key(oldName);
        String n = key(newName);
        update("UPDATE group_policy_attachment SET group_name = ?, group_name_key = ?, "
                + "group_path = coalesce(?, group_path) WHERE account_id = ? AND group_name_key = ?", newName, n,
                newPath, accountId, o);
        update("UPDATE inline_policy SET principal_name = ?, principal_key = ? WHERE account_id = ? "
                + "AND principal_type = 'group' AND principal_key = ?", newName, n, accountId, o);
        update("UPDATE user_group_membership SET group_name = ?, group_name_key = ? WHERE account_id = ? "
                + "AND group_name_key = ?", newName, n, accountId, o);
    }

    // ---------------------------------------------------------------- evaluation

    /** Everything that applies to a user in evaluation (read on a cache miss). */
    public PrincipalPolicies userPolicies(String accountId, String userName) {
        List<InlinePolicyRecord> groupInline = new ArrayList<>();
        List<AttachedPolicyRecord> groupAttached = new ArrayList<>();
        for (String group : userGroups(accountId, userName)) {
            groupInline.addAll(inlinePolicies(accountId, PrincipalType.GROUP, group));
            groupAttached.addAll(attachedGroupPolicies(accountId, group));
        }
        return new PrincipalPolicies(inlinePolicies(accountId, PrincipalType.USER, userName),
                attachedUserPolicies(accountId, userName), groupInline, groupAttached,
                boundary(accountId, userName).orElse(null));
    }

    /** Everything that applies to a group's members through the group. */
    public PrincipalPolicies groupPolicies(String accountId, String groupName) {
        return new PrincipalPolicies(List.of(), List.of(), inlinePolicies(accountId, PrincipalType.GROUP, groupName),
                attachedGroupPolicies(accountId, groupName), null);
    }

    // ---------------------------------------------------------------- plumbing

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static ManagedPolicyRecord policy(ResultSet r) throws SQLException {
        return new ManagedPolicyRecord(r.getString("policy_id"), r.getString("account_id"),
                r.getString("policy_name"), r.getString("path"), r.getString("arn"), r.getString("description"),
                r.getString("default_version_id"), r.getInt("attachments"), r.getInt("boundaries"),
                r.getTimestamp("created_at").toInstant(), r.getTimestamp("updated_at").toInstant());
    }

    private static PolicyVersionRecord version(ResultSet r) throws SQLException {
        return new PolicyVersionRecord(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4),
                r.getTimestamp(5).toInstant());
    }

    private static AttachedPolicyRecord attached(ResultSet r) throws SQLException {
        return new AttachedPolicyRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                r.getString(5));
    }

    private static InlinePolicyRecord inline(ResultSet r) throws SQLException {
        return new InlinePolicyRecord(r.getLong(1), r.getString(2), r.getString(3), r.getString(4));
    }

    private static <T> Optional<T> first(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    private int count(String sql, Object... params) {
        return query(sql, r -> r.getInt(1), params).get(0);
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> List<T> query(String sql, Row<T> row, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            List<T> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(row.map(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                s.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    private static RuntimeException failure(SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return GatekeyException.entityAlreadyExists("The entity already exists.");
        }
        return new IllegalStateException("Policy store failure", e);
    }
}
