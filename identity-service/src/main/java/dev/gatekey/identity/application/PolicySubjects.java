package dev.gatekey.identity.application;

import dev.gatekey.identity.persistence.GroupEntity;
import dev.gatekey.identity.persistence.GroupRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.GatekeyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The users and groups that policy actions (AttachUserPolicy, PutGroupPolicy, ...) are about.
 * identity-service owns them and policy-service does not check that they exist, so each is
 * looked up here after the action is authorized on its ARN (a missing one on the ARN it would
 * have, so callers without permission learn nothing), and NoSuchEntity as AWS when it does not
 * exist. policy-service then authorizes the action again as the caller and performs it.
 */
@ApplicationScoped
public class PolicySubjects {
    private static final String ARN_PREFIX = "arn:aws:iam::";

    /** A user or group: its name as stored (AWS's case), path and ARN. */
    public record Subject(String name, String path, String arn) {
    }

    @Inject
    Principals principals;

    @Inject
    IamGroups groups;

    @Inject
    UserRepository users;

    @Inject
    GroupRepository groupRepository;

    /** The named user after {@code action} (for example {@code iam:AttachUserPolicy}) on it is authorized. */
    @Transactional
    public Subject user(Caller caller, String action, String userName) {
        UserEntity user = principals.authorizedUser(caller, Principals.accountOf(caller), action, userName);
        return new Subject(user.userName, user.path, user.arn);
    }

    /** The named group after {@code action} (for example {@code iam:AttachGroupPolicy}) on it is authorized. */
    @Transactional
    public Subject group(Caller caller, String action, String groupName) {
        GroupEntity group = groups.authorizedGroup(caller, Principals.accountOf(caller), action, groupName);
        return new Subject(group.groupName, group.path, group.arn);
    }

    /**
     * SimulatePrincipalPolicy's PolicySourceArn: authorized as {@code iam:SimulatePrincipalPolicy}
     * on it, then a user or group of the caller's account with exactly that ARN must exist.
     * ARNs of other kinds or accounts are left to policy-service, which refuses them.
     */
    @Transactional
    public void requirePolicySource(Caller caller, String policySourceArn) {
        String accountId = Principals.accountOf(caller);
        principals.authorize(caller, "iam:SimulatePrincipalPolicy", policySourceArn);
        String prefix = ARN_PREFIX + accountId + ":";
        if (!policySourceArn.startsWith(prefix)) {
            return;
        }
        String resource = policySourceArn.substring(prefix.length());
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        if (resource.startsWith("user/")) {
            Optional<String> arn = users.findByName(accountId, name).map(u -> u.arn);
            if (arn.filter(policySourceArn::equals).isEmpty()) {
                throw GatekeyException.noSuchEntity("The user with name " + name + " cannot be found.");
            }
        } else if (resource.startsWith("group/")) {
            Optional<String> arn = groupRepository.findByName(accountId, name).map(g -> g.arn);
            if (arn.filter(policySourceArn::equals).isEmpty()) {
                throw GatekeyException.noSuchEntity("The group with name " + name + " cannot be found.");
            }
        }
    }

    /** The id of the account's user with this name, empty when it no longer exists. */
    @Transactional
    public Optional<String> userId(Caller caller, String userName) {
        return users.findByName(Principals.accountOf(caller), userName).map(u -> u.userId);
    }

    /** The id of the account's group with this name, empty when it no longer exists. */
    @Transactional
    public Optional<String> groupId(Caller caller, String groupName) {
        return groupRepository.findByName(Principals.accountOf(caller), groupName).map(g -> g.groupId);
    }
}
