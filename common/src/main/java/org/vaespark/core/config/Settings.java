package org.vaespark.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.Secrets;

/**
 * Loads the layered HOCON configuration of a job: the defaults of every module's
 * {@code reference.conf}, then the user's files (later files win), then {@code key=value}
 * overrides. Every key the user sets must exist in a reference.conf: an unknown key is an
 * error that names the key, the file and line it came from, and the closest known keys.
 *
 * <p>A {@code spark.*} argument that no reference.conf defines ({@code spark.hadoop.fs.s3a.endpoint=...},
 * {@code spark.speculation=true}) is not a setting of ours: it is kept apart, verbatim, for the
 * SparkSession ({@link #spark()}), and never enters the configuration, its JSON or a message. System
 * properties override reference.conf keys (Typesafe Config's default) but nothing else of them is kept,
 * so a {@code -D} secret never reaches a written file. Values of keys that name a secret are shown as
 * {@code ***} everywhere ({@link Secrets}).
 */
public final class Settings {
    private final Config resolved;
    private final Map<String, String> spark;

    private Settings(Config resolved, Map<String, String> spark) {
        this.resolved = resolved;
        this.spark = Collections.unmodifiableMap(new TreeMap<>(spark));
    }

    /** Loads the defaults plus the given files and overrides, rejecting unknown keys. */
    public static Settings load(List<String> files, List<String> overrides) {
        Config reference = ConfigFactory.defaultReference();
        Config user = ConfigFactory.empty();
        Map<String, String> spark = new TreeMap<>();
        for (String override : overrides) {
            if (isSparkArgument(override, reference)) {
                int eq = override.indexOf('=');
                spark.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
                continue;
            }
            user = parseOverride(override).withFallback(user);
        }
        List<String> reversed = new ArrayList<>(files);
        java.util.Collections.reverse(reversed);
        for (String file : files) {
            File f = new File(file);
            if (!f.isFile()) {
                throw Errors.missingInput(file, "a HOCON configuration file");
            }
        }
        Config fromFiles = ConfigFactory.empty();
        for (String file : files) {
            fromFiles = parseFile(new File(file)).withFallback(fromFiles);
        }
        user = user.withFallback(fromFiles);
        rejectUnknownKeys(user, OwnKeys.REFERENCE);
        try {
            return new Settings(ownKeysOnly(user.withFallback(reference).resolve()), spark);
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(String.valueOf(e.origin() == null ? "configuration" : e.origin().description()),
                    e.getMessage(), e);
        }
    }

    /** Defaults only, plus overrides: what tests and programmatic callers use. */
    public static Settings defaults(String... overrides) {
        return load(List.of(), List.of(overrides));
    }

    /** The resolved configuration, for the typed records' {@code from(Config)} factories. */
    public Config config() {
        return resolved;
    }

    /**
     * The {@code spark.*} arguments that are Spark's, not ours (key to verbatim value, sorted), for the
     * SparkSession builder. Never logged or written as they are: see {@link #describeSpark()}.
     */
    public Map<String, String> spark() {
        return spark;
    }

    /** The {@link #spark()} arguments as they may be logged, values of secret keys masked. */
    public String describeSpark() {
        List<String> parts = new ArrayList<>();
        spark.forEach((k, v) -> parts.add(k + "=" + Secrets.mask(k, v)));
        return String.join(", ", parts);
    }

    /** A copy with more overrides applied on top (still checked for unknown keys). */
    public Settings with(String... overrides) {
        Config user = ConfigFactory.empty();
        Map<String, String> more = new TreeMap<>(spark);
        Config reference = ConfigFactory.defaultReference();
        for (String override : overrides) {
            if (isSparkArgument(override, reference)) {
                int eq = override.indexOf('=');
                more.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
                continue;
            }
            user = parseOverride(override).withFallback(user);
        }
        rejectUnknownKeys(user, OwnKeys.REFERENCE);
        return new Settings(user.withFallback(resolved).resolve(), more);
    }

    /** The resolved configuration as JSON (for metadata files and logs); values of secret-named keys are masked. */
    public String toJson() {
        Config shown = resolved;
        for (Map.Entry<String, ConfigValue> e : resolved.entrySet()) {
            if (Secrets.isSecretKey(e.getKey())) {
                shown = shown.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(Secrets.MASK));
            }
        }
        return shown.root().render(ConfigRenderOptions.concise());
    }

    /** Rebuilds settings from JSON written by {@link #toJson()} (e.g. from a checkpoint). */
    public static Settings fromJson(String json, String origin) {
        try {
            Config stored = ConfigFactory.parseString(json, ConfigParseOptions.defaults().setOriginDescription(origin));
            return new Settings(ownKeysOnly(stored.withFallback(ConfigFactory.defaultReference()).resolve()), Map.of());
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(origin, e.getMessage(), e);
        }
    }

    /** A {@code spark.*} argument whose key no reference.conf defines (spark.master is ours). */
    private static boolean isSparkArgument(String override, Config reference) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        String key = override.substring(0, eq).trim();
        if (!key.startsWith("spark.")) {
            return false;
        }
        try {
            return !reference.hasPathOrNull(key);
        } catch (ConfigException.BadPath e) {
            return true;
        }
    }

    /**
     * The configuration without the keys that only system properties brought in ({@code java.home},
     * {@code -Dspark.hadoop.*}, ...): what remains is what some reference.conf defines.
     */
    private static Config ownKeysOnly(Config config) {
        Config own = OwnKeys.REFERENCE;
        Config kept = config;
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            if (!own.hasPathOrNull(e.getKey())) {
                kept = kept.withoutPath(e.getKey());
            }
        }
        return kept;
    }

    /** Every module's reference.conf as written, without system properties. */
    private static final class OwnKeys {
        static final Config REFERENCE = ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf")
                .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw Errors.badArgument(Secrets.maskArgument(override), "an override must have the form key=value",
                    "write e.g. train.epochs=5 or model.encoder.hidden=[300,300]");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        boolean secret = Secrets.isSecretKey(key);
        String origin = "argument '" + Secrets.maskArgument(override) + "'";
        try {
            // A secret is always a string: never parsed as HOCON, so no parse error can quote it.
            return ConfigFactory.parseString(key + " = " + (secret ? quote(value) : quoteIfNeeded(value)),
                    ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(origin, secret ? "the key cannot be parsed" : e.getMessage(), secret ? null : e);
        }
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Values such as paths with ':' or '/' are taken as strings unless they are HOCON lists/objects. */
    private static String quoteIfNeeded(String value) {
        if (value.isEmpty() || value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
            return value;
        }
        if (value.matches("[A-Za-z0-9_.+-]+")) {
            return value;
        }
        return quote(value);
    }

    private static Config parseFile(File file) {
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw Errors.unreadableConfig(file.getPath(), e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config user, Config reference) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            known.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!reference.hasPathOrNull(key)) {
                String origin = e.getValue().origin() == null ? "configuration" : e.getValue().origin().description();
                throw Errors.unknownConfigKey(key, origin, known);
            }
        }
    }
}
