package io.steward.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM files, read and written with Bouncy Castle's parser: certificates (a chain is several in one file) and private
 * keys in PKCS#8 ({@code BEGIN PRIVATE KEY}) or the older RSA/EC forms ({@code BEGIN RSA PRIVATE KEY},
 * {@code BEGIN EC PRIVATE KEY}). Encrypted keys are refused with a message saying how to decrypt them, since a
 * server started unattended has no one to type a pass phrase.
 */
public final class Pem {
    private Pem() {
    }

    /** Every certificate in {@code file}, in order; an error naming the file if there is none. */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> found = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    found.add(converter.getCertificate(holder));
                }
            }
        } catch (NoSuchFileException e) {
            throw new TlsException("no such file: " + file);
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsException(file + " is not a PEM certificate file (" + e.getMessage() + ")");
        }
        if (found.isEmpty()) {
            throw new TlsException(file + " holds no certificate: expected a PEM file with '-----BEGIN CERTIFICATE-----'");
        }
        return found;
    }

    /** The private key in {@code file}: PKCS#8, or PKCS#1 RSA / SEC1 EC; RSA or EC. */
    public static PrivateKey privateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                switch (item) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        return converter.getKeyPair(pair).getPrivate();
                    }
                    case org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo encrypted -> throw new TlsException(file
                            + " holds an encrypted key: decrypt it first (openssl pkey -in " + file + " -out key.pem)");
                    case org.bouncycastle.openssl.PEMEncryptedKeyPair encrypted -> throw new TlsException(file
                            + " holds an encrypted key: decrypt it first (openssl pkey -in " + file + " -out key.pem)");
                    default -> {
                        // parameters (BEGIN EC PARAMETERS) or a certificate beside the key: look further
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new TlsException("no such file: " + file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof TlsException t) {
                throw t;
            }
            throw new TlsException(file + " is not a PEM private key file (" + e.getMessage() + ")");
        }
        throw new TlsException(file + " holds no private key: expected a PEM file with '-----BEGIN PRIVATE KEY-----'");
    }

    /** The PEM text of certificates or keys. */
    public static String encode(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o instanceof PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PEM", e);
        }
        return text.toString();
    }
}
