package dev.airlock.policy;

import static dev.airlock.policy.Classifier.hasAny;
import static dev.airlock.policy.Classifier.joined;
import static dev.airlock.policy.Classifier.recursive;
import static dev.airlock.policy.Classifier.verb;
import static dev.airlock.policy.CommandClass.NETWORK;
import static dev.airlock.policy.CommandClass.PRIVILEGED;
import static dev.airlock.policy.CommandClass.READ_ONLY;
import static dev.airlock.policy.CommandClass.WRITE_OUTSIDE;
import static dev.airlock.policy.CommandClass.WRITE_WORKSPACE;
import static dev.airlock.policy.Dispatcher.operands;
import static dev.airlock.policy.Dispatcher.optionValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Database clients: SQL and key-value shells, local (sqlite, duckdb) or remote (psql, mysql, redis-cli…). */
final class DatabaseTools implements CommandFamily {
    private static final com.google.re2j.Pattern DESTRUCTIVE_SQL = com.google.re2j.Pattern.compile(
            "(?is)\\b(drop\\s+(table|database|schema|view|index|user|role|owned|materialized|sequence|function)"
                    + "|truncate\\b|flushall\\b|flushdb\\b|dropdatabase\\s*\\(|\\.drop\\s*\\("
                    + "|alter\\s+table\\s+\\S+\\s+drop\\b)");
    private static final com.google.re2j.Pattern READ_SQL = com.google.re2j.Pattern.compile(
            "(?is)^\\s*(select|show|explain|describe|desc|pragma|with|\\\\d|\\\\l|\\.tables|\\.schema|values)\\b.*");

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, Set.of("psql", "mysql", "mariadb", "sqlite3", "sqlite", "duckdb", "redis-cli", "mongosh",
                "mongo", "clickhouse-client", "cockroach"), DatabaseTools::database);
        return t;
    }

    static void database(Emitter e, String name, List<Word> args) {
        String sql = switch (name) {
            case "psql" -> optionValue(args, Classifier.set("-c", "--command"), "--command=");
            case "mysql", "mariadb", "clickhouse-client" -> {
                String s = optionValue(args, Classifier.set("-e", "--execute", "-q", "--query"), "--execute=");
                if (s == null) {
                    for (Word a : args) {
                        if (a.text().startsWith("-e") && a.text().length() > 2) {
                            s = a.text().substring(2);
                        }
                    }
                }
                yield s;
            }
            case "mongosh", "mongo" -> optionValue(args, Classifier.set("--eval"), "--eval=");
            case "sqlite3", "sqlite", "duckdb" -> {
                List<Word> ops = operands(args, Classifier.set("-cmd", "-separator", "-nullvalue", "-newline", "-c"));
                if (!ops.isEmpty()) {
                    Word db = ops.get(0);
                    if (!db.text().equals(":memory:")) {
                        e.read(db);
                    }
                }
                String cmd = optionValue(args, Classifier.set("-cmd", "-c"), null);
                yield ops.size() >= 2 ? joined(ops.subList(1, ops.size())) : cmd;
            }
            case "redis-cli" -> joined(operands(args, Classifier.set("-h", "-p", "-a", "-n", "-u", "--user", "--pass",
                    "-s", "-r", "-i", "--tls", "--cacert")));
            default -> null;
        };
        boolean local = name.startsWith("sqlite") || name.equals("duckdb");
        if (!local) {
            e.network(name + " talks to a database server");
            String h = optionValue(args, Classifier.set("-h", "--host"), "--host=");
            if (h != null) {
                e.host(h);
            }
        }
        String f = optionValue(args, Classifier.set("-f", "--file"), "--file=");
        if (f != null) {
            e.read(Word.lit(f));
            e.unknown(name + " runs the statements in " + f);
        }
        if (sql == null || sql.isBlank()) {
            if (f == null) {
                e.unknown(name + " runs statements from its input or an interactive session");
            }
            return;
        }
        if (local && sql.matches("(?s).*(^|\\s|;)\\.(shell|system|once|output|save|backup|import|load|cd)\\b.*")) {
            e.opaque(name + " dot-command can run programs or write files");
        }
        if (DESTRUCTIVE_SQL.matcher(sql).find() || deletesWithoutWhere(sql)
                || (name.equals("redis-cli") && sql.matches("(?is)^\\s*(del|unlink|flushall|flushdb)\\b.*"))) {
            e.destructive(name + " statement drops, truncates or mass-deletes data: " + sql.strip());
        } else if (READ_SQL.matcher(sql).matches() || (name.equals("redis-cli")
                && sql.matches("(?is)^\\s*(get|keys|scan|info|ping|ttl|type|exists|hget|hgetall|lrange|smembers)\\b.*"))) {
            e.cls(READ_ONLY);
        } else {
            e.cls(local ? WRITE_WORKSPACE : WRITE_OUTSIDE).note(name + " statement changes data");
        }
    }

    private static boolean deletesWithoutWhere(String sql) {
        for (String stmt : sql.split(";")) {
            String s = stmt.toLowerCase(Locale.ROOT);
            if ((s.matches("(?s)\\s*delete\\s+from\\b.*") || s.matches("(?s)\\s*update\\s+\\S+\\s+set\\b.*"))
                    && !s.contains(" where ")) {
                return true;
            }
        }
        return false;
    }
}
