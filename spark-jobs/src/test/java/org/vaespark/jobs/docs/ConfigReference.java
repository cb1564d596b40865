package org.vaespark.jobs.docs;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes {@code docs/configuration.md}, the configuration reference, from every module's
 * {@code src/main/resources/reference.conf} (each top-level directory of the repository that has one, so a new
 * module is picked up without a change here). Each key's default is its value in that file and its description
 * the comment above it; keys are grouped by their first path element and listed in file order.
 * {@code ConfigReferenceTest} fails when the committed page differs from what this gives.
 */
public final class ConfigReference {
    /** The generated page, relative to the repository root. */
    public static final String PAGE = "docs/configuration.md";
    /** The command that rewrites the page (the test writes it when the property is set). */
    public static final String REGENERATE = "mvn -o -q -pl spark-jobs -am test -Dtest=ConfigReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dvaespark.docs.write=true";

    private static final Pattern NUMBER_LINE = Pattern.compile("[^=:#]*[=:]\\s*([-+]?[0-9][0-9.eE+-]*)\\s*(?:#.*)?");

    private ConfigReference() {
    }

    /** One leaf key: where it is defined, its default as HOCON, its comment (may be empty). */
    record Key(String module, String path, int line, String defaultValue, String comment) {
    }

    /** Rewrites {@code docs/configuration.md} under the repository root {@code args[0]} (default: the current directory). */
    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        write(root);
        System.out.println("wrote " + root.resolve(PAGE));
    }

    /** Writes the page atomically (temporary file, then rename). */
    public static void write(Path root) {
        Path page = root.resolve(PAGE);
        try {
            Files.createDirectories(page.getParent());
            Path tmp = Files.createTempFile(page.getParent(), ".configuration", ".tmp");
            Files.writeString(tmp, render(root), StandardCharsets.UTF_8);
            Files.move(tmp, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page, e);
        }
    }

    /** The reference.conf of every top-level module directory, in name order. */
    static List<Path> referenceFiles(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.resolve("src/main/resources/reference.conf"))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> root.relativize(p).toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Every leaf key of every module's reference.conf, in file order. */
    static List<Key> keys(Path root) {
        List<Key> keys = new ArrayList<>();
        for (Path file : referenceFiles(root)) {
            String module = root.relativize(file).getName(0).toString();
            ConfigObject conf = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).root();
            List<Key> own = new ArrayList<>();
            collect(module, "", conf, lines(file), own);
            own.sort(Comparator.comparingInt(Key::line));
            keys.addAll(own);
        }
        return keys;
    }

    private static void collect(String module, String prefix, ConfigObject object, List<String> lines, List<Key> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix.isEmpty() ? quoteIfNeeded(e.getKey()) : prefix + "." + quoteIfNeeded(e.getKey());
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
                collect(module, path, (ConfigObject) v, lines, out);
            } else {
                out.add(new Key(module, path, v.origin().lineNumber(), render(v, lines), comment(v.origin().comments())));
            }
        }
    }

    /**
     * A default as HOCON. A number is shown as written on its line of the file, so 1.0 stays 1.0 (Typesafe Config
     * keeps an integral double as an int, and its renderers print 1).
     */
    private static String render(ConfigValue v, List<String> lines) {
        int line = v.origin().lineNumber();
        if (v.valueType() == ConfigValueType.NUMBER && line >= 1 && line <= lines.size()) {
            Matcher m = NUMBER_LINE.matcher(lines.get(line - 1));
            if (m.matches()) {
                return m.group(1);
            }
        }
        return v.render(ConfigRenderOptions.concise());
    }

    private static String quoteIfNeeded(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }

    /** A comment's lines as one Markdown table cell: indented lines (a list in the comment) start a new line. */
    private static String comment(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (b.length() > 0) {
                b.append(line.startsWith(" ") && line.length() - line.stripLeading().length() > 1 ? "<br>" : " ");
            }
            b.append(text);
        }
        return cell(b.toString());
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The page's Markdown. */
    static String render(Path root) {
        List<Key> keys = keys(root);
        Map<String, List<Key>> sections = new TreeMap<>();
        for (Key k : keys) {
            sections.computeIfAbsent(k.path().split("\\.", 2)[0], s -> new ArrayList<>()).add(k);
        }
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n")
                .append("Generated from ")
                .append(referenceFiles(root).stream().map(p -> "`" + root.relativize(p) + "`").collect(Collectors.joining(", ")))
                .append(" by `org.vaespark.jobs.docs.ConfigReference` (spark-jobs test sources); do not edit by hand. ")
                .append("`ConfigReferenceTest` fails when this page differs from those files; regenerate it with\n\n```bash\n")
                .append(REGENERATE).append("\n```\n\n")
                .append("Every job reads these defaults, then each `--conf FILE` (later files win), then `key=value` overrides. ")
                .append("An unknown key stops the job with the closest known keys. Defaults are shown as HOCON; ")
                .append("`null` means unset (required where the description says so, or an optional feature left off). ")
                .append("Experiments in `conf/` override a handful of keys; see [the guide](../README.md) for the jobs.\n\n");
        b.append("Sections: ").append(sections.keySet().stream().map(s -> "[" + s + "](#" + s + ")")
                .collect(Collectors.joining(" · "))).append("\n");
        for (Map.Entry<String, List<Key>> s : sections.entrySet()) {
            Set<String> modules = new LinkedHashSet<>();
            s.getValue().forEach(k -> modules.add(k.module()));
            b.append("\n## ").append(s.getKey()).append("\n\n")
                    .append("Defined in ").append(modules.stream().map(m -> "`" + m + "`").collect(Collectors.joining(", ")))
                    .append(".\n\n| key | default | description |\n|---|---|---|\n");
            Key previous = null;
            for (Key k : s.getValue()) {
                String description = k.comment();
                if (description.isEmpty()) {
                    description = previous != null && previous.module().equals(k.module())
                            ? "see `" + previous.path() + "` above" : "(no comment in " + k.module() + "'s reference.conf)";
                } else {
                    previous = k;
                }
                b.append("| `").append(k.path()).append("` | `").append(cell(k.defaultValue())).append("` | ")
                        .append(description).append(" |\n");
            }
        }
        return b.toString();
    }
}
