package io.steward.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds the JDK's {@link SSLContext}s from PEM files or a PKCS12 keystore. Nothing here checks certificates itself:
 * chains are validated by the JDK's PKIX trust manager over the CA certificates given.
 */
public final class TlsContexts {
    private static final char[] IN_MEMORY = "steward".toCharArray();

    private TlsContexts() {
    }

    /** A trust manager that accepts exactly the chains that end at one of the certificates in {@code caFile}. */
    public static X509TrustManager trusting(Path caFile) {
        List<X509Certificate> cas = Pem.certificates(caFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK gave no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot trust " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Key managers that present {@code certFile}'s chain with {@code keyFile}'s key. */
    public static KeyManager[] keyManagers(Path certFile, Path keyFile) {
        List<X509Certificate> chain = Pem.certificates(certFile);
        PrivateKey key = Pem.privateKey(keyFile);
        if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new TlsException(keyFile + " holds a " + key.getAlgorithm() + " key but " + certFile + " is for a "
                    + chain.getFirst().getPublicKey().getAlgorithm() + " key: give the key that belongs to the certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("steward", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
            return keyManagers(store, IN_MEMORY);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot use " + certFile + " with " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Key managers from a PKCS12 keystore file. */
    public static KeyManager[] keyManagers(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return keyManagers(store, password);
        } catch (NoSuchFileException e) {
            throw new TlsException("no such file: " + keystore);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot open the keystore " + keystore + " (" + e.getMessage()
                    + "): is it PKCS12, and the password right?", e);
        }
    }

    private static KeyManager[] keyManagers(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    /** The first certificate of the keystore's first key entry: the one a server presents. */
    public static X509Certificate keystoreCertificate(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    return c;
                }
            }
            throw new TlsException("the keystore " + keystore + " holds no private key with a certificate");
        } catch (NoSuchFileException e) {
            throw new TlsException("no such file: " + keystore);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot open the keystore " + keystore + " (" + e.getMessage()
                    + "): is it PKCS12, and the password right?", e);
        }
    }

    /** A TLS context from its parts; {@code keys} or {@code trust} may be null for the JDK's defaults. */
    public static SSLContext context(KeyManager[] keys, X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust == null ? null : new TrustManager[]{trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
    }

    /** A client's context that trusts the CAs of {@code caFile} (or the JDK's when null) and presents no certificate. */
    public static SSLContext client(Path caFile) {
        return context(null, caFile == null ? null : trusting(caFile));
    }
}
