package dev.freshet.embedded.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, in a PKCS12 keystore (key + certificate)
 * and a PKCS12 truststore (the certificate only), generated with the running JDK's own {@code
 * keytool}: no third-party crypto library, nothing checked into the repository.
 *
 * <p>The same files serve the embedded broker's SSL listeners and the embedded registry's HTTPS
 * endpoint; clients trust them through {@code ssl.truststore.*} (Kafka) or {@code
 * schema.registry.ssl.truststore.*} (the registry client). For tests and local runs only: the key
 * is an EC P-256 key valid for 30 days, and the password is whatever the caller passes.
 *
 * @param keystore PKCS12 file with the private key and certificate (alias {@code freshet})
 * @param truststore PKCS12 file with the certificate as a trusted entry
 * @param password the password of both stores and of the key
 * @param subject the certificate's distinguished name, which is also the principal of an SSL client
 *     that presents it ({@code User:CN=...})
 */
public record SelfSignedTls(Path keystore, Path truststore, String password, String subject) {

  /** The subject of generated certificates. */
  public static final String SUBJECT = "CN=freshet-embedded";

  private static final long KEYTOOL_TIMEOUT_S = 60;

  public SelfSignedTls {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(subject, "subject");
  }

  /**
   * Generates {@code keystore.p12} and {@code truststore.p12} in {@code dir}, or reuses them if an
   * earlier call left them there (a restarted broker keeps its certificate).
   *
   * @throws IllegalArgumentException if {@code password} is shorter than 6 characters (keytool's
   *     minimum)
   */
  public static SelfSignedTls generate(Path dir, String password) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(password, "password");
    if (password.length() < 6) {
      throw new IllegalArgumentException("password must have at least 6 characters for keytool");
    }
    Path keystore = dir.resolve("keystore.p12");
    Path truststore = dir.resolve("truststore.p12");
    Path cert = dir.resolve("freshet.crt");
    SelfSignedTls tls = new SelfSignedTls(keystore, truststore, password, SUBJECT);
    if (Files.exists(keystore) && Files.exists(truststore)) {
      return tls;
    }
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(keystore);
      Files.deleteIfExists(truststore);
      Files.deleteIfExists(cert);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
    keytool(
        "-genkeypair",
        "-alias",
        "freshet",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-sigalg",
        "SHA256withECDSA",
        "-validity",
        "30",
        "-dname",
        SUBJECT,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
    keytool(
        "-exportcert",
        "-alias",
        "freshet",
        "-keystore",
        keystore.toString(),
        "-storepass",
        password,
        "-rfc",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "freshet",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        password);
    return tls;
  }

  /** An SSL context that presents this certificate and trusts only it (for HTTPS servers). */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(keystore), password.toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(load(truststore));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an SSL context from " + keystore, e);
    }
  }

  private KeyStore load(Path file) throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      return ks;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void keytool(String... args) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>();
    command.add(keytool.toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool " + args[0] + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool " + args[0] + " failed (exit " + p.exitValue() + "): " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + keytool, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
