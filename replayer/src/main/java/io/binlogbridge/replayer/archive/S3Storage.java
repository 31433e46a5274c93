package io.binlogbridge.replayer.archive;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The archive in an S3 bucket (AWS or an S3-compatible store), with AWS SDK for Java v2 and the SDK's default
 * credentials chain (environment, profile, instance role). A binlog file goes up as a multipart upload of
 * {@code partSize} parts, one part in memory at a time; S3 shows the object only once the upload is completed, so
 * a killed archiver leaves no partial object, only an unfinished upload that the next run aborts
 * ({@link #removeIncomplete()}). A file no larger than one part is a single PUT.
 */
final class S3Storage implements ArchiveStorage {
    private static final Logger log = LoggerFactory.getLogger(S3Storage.class);
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final S3Location location;
    private final String endpoint;
    private final int partSize;

    private S3Storage(S3Client s3, S3Location location, String endpoint, int partSize) {
        this.s3 = s3;
        this.location = location;
        this.endpoint = endpoint;
        this.partSize = partSize;
    }

    static S3Storage open(S3Location location, S3Settings settings, long partSize) throws ArchiveException {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                // Checksums only where S3 requires them: S3-compatible stores differ in the flexible checksums they
                // accept, and the manifest's SHA-256 is the archive's own check.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(settings.pathStyle());
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        } else if (settings.endpoint() != null) {
            // An S3-compatible store ignores the region, but the SDK signs with one.
            builder.region(Region.US_EAST_1);
        }
        try {
            return new S3Storage(builder.build(), location, settings.endpoint() != null ? settings.endpoint() : "AWS S3",
                    (int) partSize);
        } catch (SdkException | IllegalArgumentException e) {
            throw new ArchiveException("cannot set up the S3 client for " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public void check() throws ArchiveException {
        try {
            s3.listObjectsV2(r -> r.bucket(location.bucket()).prefix(location.key(ArchiveLayout.INDEX)).maxKeys(1));
        } catch (SdkException e) {
            throw failure("cannot use", e);
        }
    }

    @Override
    public void removeIncomplete() throws ArchiveException {
        String prefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        try {
            String keyMarker = null;
            String uploadIdMarker = null;
            do {
                String km = keyMarker;
                String um = uploadIdMarker;
                ListMultipartUploadsResponse page = s3.listMultipartUploads(r -> r.bucket(location.bucket()).prefix(prefix)
                        .keyMarker(km).uploadIdMarker(um));
                for (MultipartUpload u : page.uploads()) {
                    log.info("aborting the unfinished upload of s3://{}/{} (started {}) that an earlier run left", location.bucket(),
                            u.key(), u.initiated());
                    s3.abortMultipartUpload(r -> r.bucket(location.bucket()).key(u.key()).uploadId(u.uploadId()));
                }
                keyMarker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextKeyMarker() : null;
                uploadIdMarker = page.nextUploadIdMarker();
            } while (keyMarker != null);
        } catch (S3Exception e) {
            if (e.statusCode() == 501) {
                // Not every S3-compatible store lists uploads; an unfinished one is invisible anyway.
                log.warn("{} does not list unfinished multipart uploads: any an earlier run left stay until the bucket's "
                        + "lifecycle rule removes them", endpoint);
                return;
            }
            throw failure("cannot list the unfinished uploads of", e);
        } catch (SdkException e) {
            throw failure("cannot list the unfinished uploads of", e);
        }
    }

    @Override
    public long size(String name) throws ArchiveException {
        try {
            return s3.headObject(r -> r.bucket(location.bucket()).key(location.key(name))).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw failure("cannot read " + name + " in", e);
        } catch (SdkException e) {
            throw failure("cannot read " + name + " in", e);
        }
    }

    @Override
    public byte[] read(String name) throws ArchiveException {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(location.bucket()).key(location.key(name)));
            return bytes.asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !(e instanceof NoSuchBucketException)) {
                return null;
            }
            throw failure("cannot read " + name + " in", e);
        } catch (SdkException e) {
            throw failure("cannot read " + name + " in", e);
        }
    }

    @Override
    public InputStream stream(String name, long fromOffset) throws ArchiveException {
        try {
            // Ranged GET: a resumed read fetches only what it has not had yet.
            return s3.getObject(r -> r.bucket(location.bucket()).key(location.key(name)).range("bytes=" + fromOffset + "-"));
        } catch (NoSuchKeyException e) {
            throw new ArchiveException(location.key(name) + " does not exist in " + location + " at " + endpoint, e);
        } catch (SdkException e) {
            throw failure("cannot read " + name + " in", e);
        }
    }

    @Override
    public void write(String name, byte[] content) throws ArchiveException {
        put(name, content, content.length);
    }

    private void put(String name, byte[] content, int length) throws ArchiveException {
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(location.key(name)).contentType(CONTENT_TYPE),
                    body(content, length));
        } catch (SdkException e) {
            throw failure("cannot write " + name + " to", e);
        }
    }

    /** The bytes without a copy; a retry reads them again from the start. */
    private static RequestBody body(byte[] content, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content, 0, length), length, CONTENT_TYPE);
    }

    @Override
    public Upload upload(String name) {
        return new MultipartObject(name);
    }

    @Override
    public void close() {
        s3.close();
    }

    /** One line naming what failed: the endpoint unreachable, the bucket missing, the credentials refused. */
    private ArchiveException failure(String what, SdkException e) {
        String where = what + " " + location + " at " + endpoint;
        if (e instanceof NoSuchBucketException) {
            return new ArchiveException(where + ": bucket " + location.bucket() + " does not exist", e);
        }
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
            if (s.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                return new ArchiveException(where + ": access denied (" + (code != null ? code : "HTTP 403")
                        + "): check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile or role) and the bucket's policy", e);
            }
            return new ArchiveException(where + ": " + (code != null ? code + ": " : "") + "HTTP " + s.statusCode() + " "
                    + firstLine(s.getMessage()), e);
        }
        if (e instanceof SdkClientException) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = firstLine(e.getMessage());
            if (message.contains("credentials")) {
                return new ArchiveException(where + ": no credentials: " + message, e);
            }
            return new ArchiveException(where + ": endpoint unreachable: " + cause.getClass().getSimpleName() + ": "
                    + firstLine(cause.getMessage()), e);
        }
        return new ArchiveException(where + ": " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * Bytes buffered one part at a time; the multipart upload is created with the first full part, so a file that
     * fits in one part is one PUT on {@link #complete()}.
     */
    private final class MultipartObject implements Upload {
        private final String name;
        private final String key;
        private final byte[] part = new byte[partSize];
        private final List<CompletedPart> parts = new ArrayList<>();
        private int filled;
        private String uploadId;
        private boolean done;

        MultipartObject(String name) {
            this.name = name;
            this.key = location.key(name);
        }

        @Override
        public void write(byte[] b, int off, int len) throws ArchiveException {
            while (len > 0) {
                int n = Math.min(len, part.length - filled);
                System.arraycopy(b, off, part, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == part.length) {
                    uploadPart();
                }
            }
        }

        private void uploadPart() throws ArchiveException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(r -> r.bucket(location.bucket()).key(key).contentType(CONTENT_TYPE)).uploadId();
                }
                int number = parts.size() + 1;
                String etag = s3.uploadPart(r -> r.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) filled), body(part, filled)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                throw failure("cannot upload part " + (parts.size() + 1) + " of " + name + " to", e);
            }
        }

        @Override
        public void complete() throws ArchiveException {
            if (uploadId == null) {
                put(name, part, filled);
                done = true;
                return;
            }
            if (filled > 0) {
                uploadPart();
            }
            try {
                s3.completeMultipartUpload(r -> r.bucket(location.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
                done = true;
            } catch (SdkException e) {
                throw failure("cannot complete the upload of " + name + " to", e);
            }
        }

        @Override
        public void close() {
            if (done || uploadId == null) {
                return;
            }
            try {
                s3.abortMultipartUpload(r -> r.bucket(location.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                log.warn("cannot abort the unfinished upload of {} (the next run aborts it): {}", key, e.getMessage());
            }
        }
    }
}
