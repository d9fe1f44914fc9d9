package dev.gatekey.identity.query;

import dev.gatekey.identity.application.MfaDirectory;
import dev.gatekey.identity.application.PolicyDirectory;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for policy-service's and mfa-device-service's user directories (neither runs in
 * these tests): records every call, answers counts the test scripts, and can be made to fail
 * like an unreachable peer.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingPeers implements PolicyDirectory, MfaDirectory {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, PolicyUse> policyCounts = new ConcurrentHashMap<>();
    final Map<String, Integer> deviceCounts = new ConcurrentHashMap<>();
    volatile boolean unavailable;

    /** The calls since the last reset, oldest first. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** {@code entity} ({@code user/<name>} or {@code group/<name>}) has this many attached policies. */
    public void policyCount(String entity, int count) {
        policyCounts.put(entity, new PolicyUse(count, 0, null));
    }

    public void policyUse(String entity, int attached, int inline) {
        policyCounts.put(entity, new PolicyUse(attached, inline, null));
    }

    /** The user has this permissions boundary (and no policies). */
    public void permissionsBoundary(String userName, String policyArn) {
        policyCounts.put("user/" + userName, new PolicyUse(0, 0, policyArn));
    }

    public void deviceCount(String userName, int count) {
        deviceCounts.put(userName, count);
    }

    /** Make every call fail like an unreachable peer ({@code true}) or answer again. */
    public void unavailable(boolean down) {
        unavailable = down;
    }

    public void clearCounts() {
        policyCounts.clear();
        deviceCounts.clear();
    }

    public void reset() {
        calls.clear();
        policyCounts.clear();
        deviceCounts.clear();
        unavailable = false;
    }

    private void record(String call) {
        if (unavailable) {
            throw new GatekeyException("ServiceUnavailable", ErrorKind.UNAVAILABLE, "peer down");
        }
        calls.add(call);
    }

    @Override
    public void setUserGroups(Caller caller, String userName, String userPath, List<String> groupNames,
            String forAction, String changedGroupName, String changedGroupPath) {
        record("SetUserGroups " + userName + " " + groupNames + " " + forAction + " " + changedGroupName);
    }

    @Override
    public void renameUser(Caller caller, String oldUserName, String newUserName, String userPath,
            String newUserPath) {
        record("policy RenameUser " + oldUserName + " " + newUserName + " " + newUserPath);
    }

    @Override
    public void renameGroup(Caller caller, String oldGroupName, String newGroupName, String groupPath,
            String newGroupPath) {
        record("RenameGroup " + oldGroupName + " " + newGroupName);
    }

    @Override
    public PolicyUse userPolicies(Caller caller, String userName, String userPath, String forAction) {
        record("userPolicies " + userName + " " + forAction);
        return policyCounts.getOrDefault("user/" + userName, new PolicyUse(0, 0, null));
    }

    @Override
    public void deleteBoundaryOfDeletedUser(String accountId, String userName) {
        record("DeleteBoundaryOfDeletedUser " + accountId + " " + userName);
    }

    @Override
    public PolicyUse groupPoliciesBeforeDelete(Caller caller, String groupName, String groupPath) {
        record("groupPoliciesBeforeDelete " + groupName);
        return policyCounts.getOrDefault("group/" + groupName, new PolicyUse(0, 0, null));
    }

    @Override
    public int deviceCount(Caller caller, String userName) {
        record("deviceCount " + userName);
        return deviceCounts.getOrDefault(userName, 0);
    }

    @Override
    public void renameUser(Caller caller, String accountId, String oldUserName, String newUserName) {
        record("mfa RenameUser " + oldUserName + " " + newUserName);
    }
}
