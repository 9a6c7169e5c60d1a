package io.jenkins.plugins.nestedvirt.engine;

import hudson.FilePath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The engine jar shipped inside this plugin (the shaded {@code nvmx.jar} of the {@code cli}
 * module), and its copy on an agent.
 */
public final class NvmxJar {

    private static final String RESOURCE = "nvmx.jar";
    private static volatile String digest;

    private NvmxJar() {
    }

    /**
     * Copies the engine jar into {@code directory} on the agent once per plugin version: the
     * file name carries the jar's digest, so an agent never runs a stale engine.
     *
     * @return the jar on the agent
     */
    public static FilePath installIn(FilePath directory) throws IOException, InterruptedException {
        URL jar = resource();
        FilePath installed = directory.child("nvmx-" + digest(jar).substring(0, 16) + ".jar");
        if (!installed.exists()) {
            directory.mkdirs();
            // Copy under a temporary name first: two steps starting at once never see half a jar.
            FilePath partial = directory.createTempFile("nvmx-", ".part");
            partial.copyFrom(jar);
            partial.renameTo(installed);
        }
        return installed;
    }

    private static URL resource() throws IOException {
        URL jar = NvmxJar.class.getResource(RESOURCE);
        if (jar == null) {
            throw new IOException("the engine jar " + RESOURCE + " is missing from the plugin: rebuild the plugin"
                    + " with 'mvn -Pjenkins -pl plugin -am package' so that it bundles cli/target/nvmx.jar");
        }
        return jar;
    }

    private static String digest(URL jar) throws IOException {
        String known = digest;
        if (known == null) {
            try (InputStream in = jar.openStream()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    sha.update(buffer, 0, n);
                }
                known = HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
            digest = known;
        }
        return known;
    }
}
