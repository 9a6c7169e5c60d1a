import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compile-only stand-ins for the Messages classes Jenkins' localizer generates at build time: for
 * every Messages.properties under the given roots (resource directories), a class in its package with
 * {@code key(args)} and {@code _key(args)} per key, as many arguments as the message's {0}, {1} ...
 * Usage: java MessagesStandIns.java OUT_DIR RESOURCE_DIR...
 */
public final class MessagesStandIns {

    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)[,}]");

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int classes = 0;
        for (int i = 1; i < args.length; i++) {
            Path root = Path.of(args[i]);
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.getFileName().toString().equals("Messages.properties")).toList();
            }
            for (Path file : files) {
                Path relative = root.relativize(file.getParent());
                Path target = out.resolve(relative).resolve("Messages.java");
                if (Files.exists(target)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.writeString(target, standIn(relative.toString().replace('/', '.'), file));
                classes++;
            }
        }
        System.out.println(classes + " Messages stand-ins in " + out);
    }

    private static String standIn(String pkg, Path file) throws IOException {
        Properties messages = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            messages.load(reader);
        }
        StringBuilder java = new StringBuilder();
        if (!pkg.isEmpty()) {
            java.append("package ").append(pkg).append(";\n");
        }
        java.append("// stand-in generated from ").append(file).append(", for compiling only\n")
                .append("public class Messages {\n");
        for (String key : new TreeSet<>(messages.stringPropertyNames())) {
            String name = identifier(key);
            String parameters = parameters(messages.getProperty(key));
            java.append("    public static String ").append(name).append("(").append(parameters)
                    .append(") { return null; }\n")
                    .append("    public static org.jvnet.localizer.Localizable _").append(name).append("(")
                    .append(parameters).append(") { return null; }\n");
        }
        return java.append("}\n").toString();
    }

    /** The localizer's method name: characters that cannot be in a Java name become '_'. */
    private static String identifier(String key) {
        StringBuilder name = new StringBuilder();
        for (char c : key.toCharArray()) {
            name.append(Character.isJavaIdentifierPart(c) ? c : '_');
        }
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            name.insert(0, '_');
        }
        return name.toString();
    }

    private static String parameters(String message) {
        int count = 0;
        Matcher argument = ARGUMENT.matcher(message);
        while (argument.find()) {
            count = Math.max(count, Integer.parseInt(argument.group(1)) + 1);
        }
        StringBuilder parameters = new StringBuilder();
        for (int i = 0; i < count; i++) {
            parameters.append(i == 0 ? "" : ", ").append("Object arg").append(i);
        }
        return parameters.toString();
    }
}
