package io.github.nestedvirt.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class of the Jenkins plugin read from its source file: the plugin is not compiled on our machines,
 * so what its views may call is found in the text (public getters and methods, the class it extends,
 * its imports) rather than by reflection.
 */
final class ViewSource {

    static final String PLUGIN_PACKAGE = "io.jenkins.plugins.nestedvirt";

    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+([\\w.]+)\\s*;");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern GETTER = Pattern.compile("public\\s+(?:(?:static|final|synchronized)\\s+)*"
            + "(?<type>[\\w.$]+(?:<[^()]*?>)?(?:\\[\\])*)\\s+(?<name>(?:get|is)[A-Z]\\w*)\\s*\\(\\s*\\)");

    private final Path sourceRoot;
    private final String simpleName;
    private final String packageName;
    private final String text;
    private final Map<String, String> imports = new HashMap<>();

    private ViewSource(Path sourceRoot, Path file) throws IOException {
        this.sourceRoot = sourceRoot;
        this.text = Files.readString(file);
        String name = file.getFileName().toString();
        this.simpleName = name.substring(0, name.length() - ".java".length());
        Matcher pkg = PACKAGE.matcher(text);
        this.packageName = pkg.find() ? pkg.group(1) : "";
        Matcher imported = IMPORT.matcher(text);
        while (imported.find()) {
            String fqcn = imported.group(1);
            imports.put(fqcn.substring(fqcn.lastIndexOf('.') + 1), fqcn);
        }
    }

    /** The plugin class {@code fqcn}, if the plugin's sources have it. */
    static Optional<ViewSource> of(Path sourceRoot, String fqcn) throws IOException {
        Path file = sourceRoot.resolve(fqcn.replace('.', '/') + ".java");
        return Files.isRegularFile(file) ? Optional.of(new ViewSource(sourceRoot, file)) : Optional.empty();
    }

    String name() {
        return packageName + "." + simpleName;
    }

    String text() {
        return text;
    }

    /** The fully qualified name {@code simple} means in this file, or null when it cannot tell. */
    String qualified(String simple) {
        if (simple.contains(".")) {
            return simple;
        }
        if (imports.containsKey(simple)) {
            return imports.get(simple);
        }
        if (Files.isRegularFile(sourceRoot.resolve((packageName + "." + simple).replace('.', '/') + ".java"))) {
            return packageName + "." + simple;
        }
        try {
            Class.forName("java.lang." + simple);
            return "java.lang." + simple;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** The declared return type of the public getter JEXL would use for {@code property}, if declared here. */
    Optional<String> getterType(String property) {
        String capitalized = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        Matcher getter = GETTER.matcher(text);
        while (getter.find()) {
            String name = getter.group("name");
            if (name.equals("get" + capitalized) || name.equals("is" + capitalized)) {
                return Optional.of(getter.group("type"));
            }
        }
        return Optional.empty();
    }

    /** Whether a public method {@code name}, with any parameters, is declared in this file. */
    boolean declaresMethod(String name) {
        return Pattern.compile("public\\s+[^;={}()]*\\b" + Pattern.quote(name) + "\\s*\\(").matcher(text).find();
    }

    /** Whether a public field {@code name} is declared in this file. */
    boolean declaresPublicField(String name) {
        return Pattern.compile("public\\s+(?:final\\s+)?[\\w.<>?, ]+\\s+" + Pattern.quote(name) + "\\s*[;=]")
                .matcher(text).find();
    }

    /** The class this one extends, as written (null for none); interfaces are not followed. */
    String superclass() {
        Matcher declaration = Pattern.compile("\\bclass\\s+" + Pattern.quote(simpleName) + "\\b[^{]*?\\bextends\\s+"
                + "([\\w.]+)").matcher(text);
        return declaration.find() ? declaration.group(1) : null;
    }
}
