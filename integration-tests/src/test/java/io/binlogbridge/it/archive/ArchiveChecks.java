package io.binlogbridge.it.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** An archive compared with the source's binlog files in its datadir, by SHA-256; its manifests and index checked. */
final class ArchiveChecks {
    static final ObjectMapper JSON = new ObjectMapper();

    private ArchiveChecks() {}

    /** Every closed file in {@code dir}, identical; its manifest right; the open file absent; no temporary file left. */
    static void assertDirectoryArchiveEqualsSource(Path dir, List<Path> closed, Path open) throws Exception {
        for (Path source : closed) {
            String name = source.getFileName().toString();
            String sha = sha256(Files.newInputStream(source));
            assertEquals(sha, sha256(Files.newInputStream(dir.resolve(name))), name + " in " + dir);
            assertManifest(source, sha, JSON.readTree(dir.resolve("manifest/" + name + ".json").toFile()));
        }
        String openName = open.getFileName().toString();
        assertFalse(Files.exists(dir.resolve(openName)), "the open file " + openName + " was archived");
        assertFalse(Files.exists(dir.resolve("manifest/" + openName + ".json")));
        assertEquals(names(closed), indexNames(JSON.readTree(dir.resolve("index.json").toFile())));
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "temporary files left in " + dir);
        }
    }

    /** Every closed file under {@code prefix}, identical; its manifest right; nothing else (the open file) there. */
    static void assertS3ArchiveEqualsSource(S3Client client, String bucket, String prefix, List<Path> closed) throws Exception {
        for (Path source : closed) {
            String name = source.getFileName().toString();
            String sha = sha256(Files.newInputStream(source));
            assertEquals(sha, sha256(client.getObject(r -> r.bucket(bucket).key(prefix + "/" + name))), name + " in s3 " + prefix);
            assertManifest(source, sha, JSON.readTree(client.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + "/manifest/" + name + ".json"))
                    .asByteArray()));
        }
        JsonNode index = JSON.readTree(client.getObjectAsBytes(r -> r.bucket(bucket).key(prefix + "/index.json")).asByteArray());
        assertEquals(names(closed), indexNames(index));
        List<String> expected = new ArrayList<>(names(closed));
        for (String n : names(closed)) {
            expected.add("manifest/" + n + ".json");
        }
        expected.add("index.json");
        assertEquals(expected.stream().sorted().toList(), objectNames(client, bucket, prefix).stream().sorted().toList(),
                "objects under " + prefix);
    }

    private static void assertManifest(Path source, String sha, JsonNode manifest) throws Exception {
        String name = source.getFileName().toString();
        assertEquals(sha, manifest.get("sha256").asText(), name);
        assertEquals(Files.size(source), manifest.get("size").asLong(), name);
        assertEquals(name, manifest.get("name").asText());
        assertEquals(name, manifest.get("sourceName").asText());
    }

    static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    static List<String> indexNames(JsonNode index) {
        List<String> names = new ArrayList<>();
        index.get("files").forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    /**
     * The objects under {@code prefix}, without the "manifest/" marker that S3Proxy's filesystem blobstore lists for the
     * directory it keeps those keys in (S3 itself has no directories).
     */
    static List<String> objectNames(S3Client client, String bucket, String prefix) {
        List<String> names = new ArrayList<>();
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/")).contents()) {
            if (!o.key().endsWith("/")) {
                names.add(o.key().substring(prefix.length() + 1));
            }
        }
        return names;
    }

    static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
