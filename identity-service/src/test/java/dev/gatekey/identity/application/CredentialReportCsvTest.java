package dev.gatekey.identity.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The credential report's CSV, against the IAM User Guide's "Understanding the report format". */
class CredentialReportCsvTest {
    static final Instant CREATED = Instant.parse("2014-10-07T19:42:05.123Z");
    static final Instant CHANGED = Instant.parse("2015-01-02T03:04:05Z");
    static final Instant USED = Instant.parse("2015-02-03T04:05:06Z");

    @Test
    void theHeaderHasAwsTwentyTwoColumnsInAwsOrder() {
        String header = CredentialReportCsv.write(List.of()).strip();
        assertEquals("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
                + "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
                + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
                + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
                + "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
                + "cert_2_active,cert_2_last_rotated", header);
    }

    @Test
    void theRootRowHasNotSupportedPasswordColumnsAndNoInformationWhenNeverSignedIn() {
        String csv = CredentialReportCsv.write(List.of(CredentialReportCsv.Row.root("arn:aws:iam::111122223333:root",
                CREATED, Optional.empty(), false, List.of())));
        assertEquals("<root_account>,arn:aws:iam::111122223333:root,2014-10-07T19:42:05+00:00,not_supported,"
                + "no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
                + "false,N/A,false,N/A", csv.lines().toList().get(1));
    }

    @Test
    void aUserWithPasswordMfaAndAUsedAndAnUnusedInactiveKey() {
        CredentialReportCsv.Row row = CredentialReportCsv.Row.user("alice", "arn:aws:iam::111122223333:user/alice",
                CREATED, Optional.of(new CredentialReportCsv.Password(CHANGED, Optional.of(USED),
                        Optional.of(CHANGED.plusSeconds(86400 * 90)))), true, List.of(
                        new CredentialReportCsv.Key(true, CHANGED, Optional.of(USED), Optional.of("us-east-1"),
                                Optional.of("iam")),
                        new CredentialReportCsv.Key(false, USED, Optional.empty(), Optional.empty(),
                                Optional.empty())));
        assertEquals("alice,arn:aws:iam::111122223333:user/alice,2014-10-07T19:42:05+00:00,true,"
                + "2015-02-03T04:05:06+00:00,2015-01-02T03:04:05+00:00,2015-04-02T03:04:05+00:00,true,"
                + "true,2015-01-02T03:04:05+00:00,2015-02-03T04:05:06+00:00,us-east-1,iam,"
                + "false,2015-02-03T04:05:06+00:00,N/A,N/A,N/A,false,N/A,false,N/A",
                CredentialReportCsv.write(List.of(row)).lines().toList().get(1));
    }

    @Test
    void aPasswordNeverUsedIsNoInformationAndNoPasswordIsNotApplicable() {
        CredentialReportCsv.Row unused = CredentialReportCsv.Row.user("u", "arn:aws:iam::111122223333:user/u",
                CREATED, Optional.of(new CredentialReportCsv.Password(CHANGED, Optional.empty(), Optional.empty())),
                false, List.of());
        assertEquals(List.of("true", "no_information", "2015-01-02T03:04:05+00:00", "N/A"),
                CredentialReportCsv.fields(unused).subList(3, 7));
        CredentialReportCsv.Row none = CredentialReportCsv.Row.user("n", "arn:aws:iam::111122223333:user/n",
                CREATED, Optional.empty(), false, List.of());
        assertEquals(List.of("false", "N/A", "N/A", "N/A"), CredentialReportCsv.fields(none).subList(3, 7));
    }

    @Test
    void aNameWithACommaIsQuoted() {
        CredentialReportCsv.Row row = CredentialReportCsv.Row.user("a,b", "arn:aws:iam::111122223333:user/a,b",
                CREATED, Optional.empty(), false, List.of());
        String line = CredentialReportCsv.write(List.of(row)).lines().toList().get(1);
        assertTrue(line.startsWith("\"a,b\",\"arn:aws:iam::111122223333:user/a,b\",2014-10-07T19:42:05+00:00,false,"),
                line);
    }
}
