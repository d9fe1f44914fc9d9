package dev.gatekey.identity.query;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.identity.grpc.PeerCalls;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.mfa.v1.AssignmentStatus;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.DeactivateMFADeviceRequest;
import dev.gatekey.mfa.v1.DeleteVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.GetMFADeviceRequest;
import dev.gatekey.mfa.v1.GetMFADeviceResponse;
import dev.gatekey.mfa.v1.ListMFADeviceTagsRequest;
import dev.gatekey.mfa.v1.ListMFADeviceTagsResponse;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.ListMFADevicesResponse;
import dev.gatekey.mfa.v1.ListVirtualMFADevicesRequest;
import dev.gatekey.mfa.v1.ListVirtualMFADevicesResponse;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.ResyncMFADeviceRequest;
import dev.gatekey.mfa.v1.Tag;
import dev.gatekey.mfa.v1.TagMFADeviceRequest;
import dev.gatekey.mfa.v1.UntagMFADeviceRequest;
import dev.gatekey.mfa.v1.VirtualMFADevice;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.iam.IamNames;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;

/**
 * The IAM MFA actions, served by mfa-device-service (which owns devices and authorizes each
 * action itself with the caller's token): CreateVirtualMFADevice, EnableMFADevice,
 * ResyncMFADevice, DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices,
 * ListVirtualMFADevices, GetMFADevice, TagMFADevice, UntagMFADevice, ListMFADeviceTags.
 * Blobs (seed, QR code) are Base64 in the XML, as AWS; the CLI's {@code --outfile} decodes the
 * one {@code --bootstrap-method} names.
 */
@ApplicationScoped
public class MfaDeviceActions implements QueryActions {
    private static final String PEER = "mfa-device-service";

    @GrpcClient("mfa")
    MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub mfa;

    @Inject
    PeerDeadlines deadlines;

    @Inject
    UserRepository users;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.ofEntries(
                Map.entry("CreateVirtualMFADevice", this::createVirtualMfaDevice),
                Map.entry("EnableMFADevice", this::enableMfaDevice),
                Map.entry("ResyncMFADevice", this::resyncMfaDevice),
                Map.entry("DeactivateMFADevice", this::deactivateMfaDevice),
                Map.entry("DeleteVirtualMFADevice", this::deleteVirtualMfaDevice),
                Map.entry("ListMFADevices", this::listMfaDevices),
                Map.entry("ListVirtualMFADevices", this::listVirtualMfaDevices),
                Map.entry("GetMFADevice", this::getMfaDevice),
                Map.entry("TagMFADevice", this::tagMfaDevice),
                Map.entry("UntagMFADevice", this::untagMfaDevice),
                Map.entry("ListMFADeviceTags", this::listMfaDeviceTags));
    }

    private MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub as(Caller caller) {
        return PeerCalls.within(BearerToken.attach(mfa, caller.token()), deadlines.mfa());
    }

    QueryResult createVirtualMfaDevice(QueryRequest request) {
        VirtualMFADevice device = PeerCalls.call(PEER, () -> as(request.caller()).createVirtualMFADevice(
                CreateVirtualMFADeviceRequest.newBuilder()
                        .setVirtualMfaDeviceName(request.required("VirtualMFADeviceName"))
                        .setPath(request.string("Path").orElse(""))
                        .addAllTags(tags(request)).build()).getVirtualMfaDevice());
        return xml -> xml.nested("VirtualMFADevice", d -> d
                .element("SerialNumber", device.getSerialNumber())
                .element("Base32StringSeed", base64(device.getBase32StringSeed()))
                .element("QRCodePNG", base64(device.getQrCodePng()))
                .members("Tags", device.getTagsList(), (m, t) -> m.element("Key", t.getKey())
                        .element("Value", t.getValue())));
    }

    QueryResult enableMfaDevice(QueryRequest request) {
        PeerCalls.call(PEER, () -> as(request.caller()).enableMFADevice(EnableMFADeviceRequest.newBuilder()
                .setUserName(request.string("UserName").orElse(""))
                .setSerialNumber(request.required("SerialNumber"))
                .setAuthenticationCode1(request.required("AuthenticationCode1"))
                .setAuthenticationCode2(request.required("AuthenticationCode2")).build()));
        return QueryResult.NONE;
    }

    QueryResult resyncMfaDevice(QueryRequest request) {
        PeerCalls.call(PEER, () -> as(request.caller()).resyncMFADevice(ResyncMFADeviceRequest.newBuilder()
                .setUserName(request.string("UserName").orElse(""))
                .setSerialNumber(request.required("SerialNumber"))
                .setAuthenticationCode1(request.required("AuthenticationCode1"))
                .setAuthenticationCode2(request.required("AuthenticationCode2")).build()));
        return QueryResult.NONE;
    }

    QueryResult deactivateMfaDevice(QueryRequest request) {
        PeerCalls.call(PEER, () -> as(request.caller()).deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder()
                .setUserName(request.string("UserName").orElse(""))
                .setSerialNumber(request.required("SerialNumber")).build()));
        return QueryResult.NONE;
    }

    QueryResult deleteVirtualMfaDevice(QueryRequest request) {
        PeerCalls.call(PEER, () -> as(request.caller()).deleteVirtualMFADevice(DeleteVirtualMFADeviceRequest
                .newBuilder().setSerialNumber(request.required("SerialNumber")).build()));
        return QueryResult.NONE;
    }

    QueryResult listMfaDevices(QueryRequest request) {
        ListMFADevicesResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listMFADevices(
                ListMFADevicesRequest.newBuilder().setUserName(request.string("UserName").orElse(""))
                        .setMarker(request.string("Marker").orElse(""))
                        .setMaxItems(request.integer("MaxItems").orElse(0)).build()));
        return xml -> xml.members("MFADevices", response.getMfaDevicesList(), (m, d) -> {
            m.element("UserName", d.getUserName()).element("SerialNumber", d.getSerialNumber());
            if (d.hasEnableDate()) {
                m.element("EnableDate", instant(d.getEnableDate()));
            }
        }).element("IsTruncated", response.getIsTruncated()).optional("Marker", marker(response.getMarker()));
    }

    QueryResult listVirtualMfaDevices(QueryRequest request) {
        AssignmentStatus status = switch (request.string("AssignmentStatus").orElse("Any")) {
            case "Assigned" -> AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED;
            case "Unassigned" -> AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNED;
            case "Any" -> AssignmentStatus.ASSIGNMENT_STATUS_ANY;
            default -> throw IamNames.validationError("assignmentStatus", request.string("AssignmentStatus").get(),
                    "Member must satisfy enum value set: [Unassigned, Any, Assigned]");
        };
        ListVirtualMFADevicesResponse response = PeerCalls.call(PEER, () -> as(request.caller())
                .listVirtualMFADevices(ListVirtualMFADevicesRequest.newBuilder().setAssignmentStatus(status)
                        .setMarker(request.string("Marker").orElse(""))
                        .setMaxItems(request.integer("MaxItems").orElse(0)).build()));
        String accountId = request.caller().accountId();
        return xml -> xml.members("VirtualMFADevices", response.getVirtualMfaDevicesList(), (m, d) -> {
            m.element("SerialNumber", d.getSerialNumber());
            if (d.hasUser()) {
                m.nested("User", u -> assignedUser(u, accountId, d.getUser()));
            }
            if (d.hasEnableDate()) {
                m.element("EnableDate", instant(d.getEnableDate()));
            }
            if (d.getTagsCount() > 0) {
                m.members("Tags", d.getTagsList(), (t, tag) -> t.element("Key", tag.getKey())
                        .element("Value", tag.getValue()));
            }
        }).element("IsTruncated", response.getIsTruncated()).optional("Marker", marker(response.getMarker()));
    }

    QueryResult getMfaDevice(QueryRequest request) {
        GetMFADeviceResponse response = PeerCalls.call(PEER, () -> as(request.caller()).getMFADevice(
                GetMFADeviceRequest.newBuilder().setSerialNumber(request.required("SerialNumber"))
                        .setUserName(request.string("UserName").orElse("")).build()));
        return xml -> {
            xml.element("UserName", response.getUserName()).element("SerialNumber", response.getSerialNumber());
            if (response.hasEnableDate()) {
                xml.element("EnableDate", instant(response.getEnableDate()));
            }
            if (response.getCertificationsCount() > 0) {
                xml.nested("Certifications", c -> {
                    for (Map.Entry<String, String> e : response.getCertificationsMap().entrySet()) {
                        c.nested("entry", en -> en.element("key", e.getKey()).element("value", e.getValue()));
                    }
                });
            }
        };
    }

    QueryResult tagMfaDevice(QueryRequest request) {
        PeerCalls.call(PEER, () -> as(request.caller()).tagMFADevice(TagMFADeviceRequest.newBuilder()
                .setSerialNumber(request.required("SerialNumber")).addAllTags(tags(request)).build()));
        return QueryResult.NONE;
    }

    QueryResult untagMfaDevice(QueryRequest request) {
        PeerCalls.call(PEER, () -> as(request.caller()).untagMFADevice(UntagMFADeviceRequest.newBuilder()
                .setSerialNumber(request.required("SerialNumber")).addAllTagKeys(request.list("TagKeys")).build()));
        return QueryResult.NONE;
    }

    QueryResult listMfaDeviceTags(QueryRequest request) {
        ListMFADeviceTagsResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listMFADeviceTags(
                ListMFADeviceTagsRequest.newBuilder().setSerialNumber(request.required("SerialNumber"))
                        .setMarker(request.string("Marker").orElse(""))
                        .setMaxItems(request.integer("MaxItems").orElse(0)).build()));
        return xml -> xml.members("Tags", response.getTagsList(), (m, t) -> m.element("Key", t.getKey())
                .element("Value", t.getValue())).element("IsTruncated", response.getIsTruncated())
                .optional("Marker", marker(response.getMarker()));
    }

    /** AWS's User shape for a device's user: identity-service adds id, path and creation date. */
    private void assignedUser(XmlOut xml, String accountId, dev.gatekey.mfa.v1.User user) throws XMLStreamException {
        if (user.getUserName().isEmpty()) {
            xml.element("UserId", accountId).element("Arn", IamNames.rootArn(accountId));
            return;
        }
        Optional<UserEntity> entity = QuarkusTransaction.requiringNew().call(() ->
                users.findByName(accountId, user.getUserName()));
        if (entity.isPresent()) {
            UserEntity u = entity.get();
            xml.element("Path", u.path).element("UserName", u.userName).element("UserId", u.userId)
                    .element("Arn", u.arn).element("CreateDate", u.createdAt);
        } else {
            xml.element("UserName", user.getUserName()).element("Arn", user.getArn());
        }
    }

    private static List<Tag> tags(QueryRequest request) {
        return request.structures("Tags").stream().map(t -> Tag.newBuilder().setKey(t.getOrDefault("Key", ""))
                .setValue(t.getOrDefault("Value", "")).build()).toList();
    }

    private static String base64(ByteString bytes) {
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Optional<String> marker(String marker) {
        return marker.isEmpty() ? Optional.empty() : Optional.of(marker);
    }
}
