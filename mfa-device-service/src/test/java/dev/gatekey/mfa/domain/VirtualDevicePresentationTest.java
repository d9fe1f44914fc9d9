package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The seed as the user receives it: Base32, otpauth URI, QR code PNG. */
class VirtualDevicePresentationTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void createdDeviceHasA160BitSeedAndAwsSerialNumber() {
        NewVirtualMfaDevice device = NewVirtualMfaDevice.generate("123456789012", "/team/", "alice-phone", "Gatekey",
                new SecureRandom());
        assertEquals(20, device.seed().length);
        assertArrayEquals(device.seed(), Base32.decode(device.base32Seed()));
        assertEquals("arn:aws:iam::123456789012:mfa/team/alice-phone", device.serialNumber());
        assertEquals("otpauth://totp/alice-phone@123456789012?secret=" + device.base32Seed() + "&issuer=Gatekey",
                device.otpAuthUri());
        assertEquals(false, device.toString().contains(device.base32Seed()));
    }

    @Test
    void labelPartsAndIssuerArePercentEncoded() {
        assertEquals("otpauth://totp/a%40b%2Cc@123456789012?secret=ABC&issuer=Acme%20Corp%20%26%20Co",
                OtpAuthUri.totp("a@b,c", "123456789012", "ABC", "Acme Corp & Co"));
    }

    @Test
    void qrCodeIsAPngThatDecodesToTheUri() throws Exception {
        NewVirtualMfaDevice device = NewVirtualMfaDevice.generate("123456789012", "/", "alice-phone", "Gatekey",
                new SecureRandom());
        byte[] png = device.qrCodePng();
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(QrCodePng.SIZE_PIXELS, image.getWidth());
        var result = new QRCodeReader().decode(
                new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
        assertEquals(device.otpAuthUri(), result.getText());
        assertEquals("M", result.getResultMetadata().get(com.google.zxing.ResultMetadataType.ERROR_CORRECTION_LEVEL));
        // quiet zone: the corner pixels are white
        assertEquals(0xFFFFFFFF, image.getRGB(0, 0));
        assertEquals(0xFFFFFFFF, image.getRGB(5, 5));
        assertTrue(png.length > 100);
    }

    /**
     * Scanners find the code in a photo, not in a pristine image: ZXing's general detector must
     * read nearly all of them (it misses about 1 in 150 synthetic images whatever the content;
     * with a UTF-8 ECI segment it missed 1 in 6).
     */
    @Test
    void theGeneralDetectorReadsNearlyEveryCode() throws Exception {
        SecureRandom random = new SecureRandom();
        int read = 0;
        for (int i = 0; i < 200; i++) {
            NewVirtualMfaDevice device = NewVirtualMfaDevice.generate("123456789012", "/", "alice", "Gatekey", random);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(device.qrCodePng()));
            try {
                var result = new com.google.zxing.MultiFormatReader().decode(
                        new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))));
                assertEquals(device.otpAuthUri(), result.getText());
                read++;
            } catch (com.google.zxing.NotFoundException e) {
                // counted below
            }
        }
        assertTrue(read >= 190, "read " + read + " of 200");
    }
}
