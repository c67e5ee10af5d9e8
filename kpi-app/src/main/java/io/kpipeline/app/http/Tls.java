package io.kpipeline.app.http;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * HTTPS for the API and dashboard ({@code tls-keystore}: a PKCS12 or JKS file with the server's key and
 * certificate), and the trust an instance needs to forward queries to another over HTTPS: {@code tls-truststore}
 * when set, else the certificates of its own keystore (instances of one deployment usually share a certificate).
 */
public final class Tls {
    private final Path keystore;
    private final char[] password;
    private final SSLContext peers;

    private Tls(Path keystore, char[] password, SSLContext peers) {
        this.keystore = keystore;
        this.password = password;
        this.peers = peers;
    }

    /** The HTTPS of the settings {@code tls-*}, or null when {@code tls-keystore} is not set (plain HTTP). */
    public static Tls of(io.kpipeline.app.config.KpiConfig config) {
        if (config.get("tls-keystore").isBlank()) {
            return null;
        }
        try {
            return load(Path.of(config.get("tls-keystore")), config.get("tls-keystore-password"),
                    config.get("tls-truststore").isBlank() ? null : Path.of(config.get("tls-truststore")), config.get("tls-truststore-password"));
        } catch (IllegalArgumentException e) {
            throw new io.kpipeline.app.config.ConfigException(e.getMessage());
        }
    }

    /**
     * Loads and checks the stores now, so a wrong path or password stops start-up naming it.
     *
     * @throws IllegalArgumentException naming the setting and what is wrong
     */
    public static Tls load(Path keystore, String password, Path truststore, String trustPassword) {
        KeyStore keys = read(keystore, password, "tls-keystore");
        KeyStore trust = truststore == null ? keys : read(truststore, trustPassword, "tls-truststore");
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return new Tls(keystore, password.toCharArray(), context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tls-truststore: " + e.getMessage());
        }
    }

    private static KeyStore read(Path file, String password, String setting) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + ": cannot read " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password.toCharArray());
            if (store.size() == 0) {
                throw new IllegalArgumentException(setting + ": " + file + " holds no key or certificate");
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": cannot open " + file + " (" + e.getMessage() + "); check the file and its password");
        }
    }

    /** The HTTPS connector on host:port, in place of plain HTTP. */
    Connector connector(Server server, HttpConfiguration http, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toAbsolutePath().toString());
        ssl.setKeyStorePassword(new String(password));
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients check the certificate against the name they asked for; the server need not second-guess SNI
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** The client context for instance-to-instance requests. */
    SSLContext peerContext() {
        return peers;
    }
}
