import { createReadStream } from 'node:fs';
import type { BackupConfig } from '../config';
import { BackupError } from './backup';

export type S3Settings = NonNullable<BackupConfig['s3']>;

/** An object directly under the prefix: `name` is its key without the prefix. */
export interface BucketObject {
  key: string;
  name: string;
  size: number;
}

/** The few operations backups need from an S3-compatible bucket; errors are `BackupError`s. */
export interface Bucket {
  /** `s3://bucket/key`, for the operator. */
  uri(key: string): string;
  /** The key of a file name: under the prefix. */
  keyOf(name: string): string;
  /** Streams `file` up (multipart when large), with its sha-256 as metadata. */
  upload(file: string, key: string, sha256: string): Promise<void>;
  /** The object's size and its `sha256` metadata. */
  head(key: string): Promise<{ size: number; sha256: string | undefined }>;
  /** The objects directly under the prefix (not those in deeper "folders"). */
  list(): Promise<BucketObject[]>;
  remove(key: string): Promise<void>;
  close(): void;
}

/** Parts of 16 MiB: a 10 GB backup is 600 parts, well under S3's 10,000. */
const PART_BYTES = 16 * 1024 * 1024;

/** Where the bucket is, in words: the endpoint, or AWS S3 and its region. */
export function whereIs(s3: S3Settings): string {
  return `bucket ${s3.bucket} at ${s3.endpoint ?? `AWS S3 (${s3.region})`}`;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  errors?: SdkError[];
  cause?: SdkError;
  $metadata?: { httpStatusCode?: number };
}

/** Why a request failed, in the operator's words. */
function reason(error: SdkError): string {
  // Node's connect() to a name with several addresses fails with an AggregateError of them all.
  const code = error.code ?? error.errors?.[0]?.code ?? error.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the endpoint right, and the service running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found (check BACKUP_S3_ENDPOINT)';
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection failed (${code})`;
    default:
      break;
  }
  switch (error.name) {
    case 'NoSuchBucket':
      return 'no such bucket (create it, or check BACKUP_S3_BUCKET)';
    case 'InvalidAccessKeyId':
      return 'the access key is not known there (check BACKUP_S3_ACCESS_KEY_ID)';
    case 'SignatureDoesNotMatch':
      return 'the secret key is wrong (check BACKUP_S3_SECRET_ACCESS_KEY and BACKUP_S3_REGION)';
    case 'AccessDenied':
    case 'Forbidden':
      return 'access denied (the credentials may not do this in that bucket)';
    case 'CredentialsProviderError':
      return 'no credentials found: set BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY';
    case 'TimeoutError':
      return 'no answer in time';
    default:
      break;
  }
  const status = error.$metadata?.httpStatusCode;
  return `${error.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${error.message ?? String(error)}`;
}

/** A failed request as a `BackupError` naming the bucket, where it is, and why. */
export function bucketError(error: unknown, s3: S3Settings, doing: string): BackupError {
  if (error instanceof BackupError) return error;
  return new BackupError(`Cannot ${doing} ${whereIs(s3)}: ${reason(error as SdkError)}.`);
}

/**
 * A client for the configured bucket. The AWS SDK is imported here, lazily: a server without a
 * bucket never loads it. With an endpoint (MinIO, Backblaze B2, Scaleway, Garage...), requests
 * are path-style (`endpoint/bucket/key`), which every S3-compatible service answers, and the
 * SDK's newer default integrity headers (CRC32 on every request, 2025) are sent only where S3
 * requires them, since several such services refuse them.
 */
export async function openBucket(s3: S3Settings): Promise<Bucket> {
  const sdk = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new sdk.S3Client({
    region: s3.region,
    ...(s3.endpoint
      ? {
          endpoint: s3.endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    ...(s3.credentials ? { credentials: s3.credentials } : {}),
    maxAttempts: 3,
    // A backup job must end: an endpoint that does not answer is an error, not a hang.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
  const folder = s3.prefix ? `${s3.prefix}/` : '';
  const send = async <T>(doing: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw bucketError(error, s3, doing);
    }
  };
  return {
    uri: (key) => `s3://${s3.bucket}/${key}`,
    keyOf: (name) => `${folder}${name}`,
    upload: (file, key, sha256) =>
      send(`upload ${key} to`, async () => {
        await new Upload({
          client,
          params: {
            Bucket: s3.bucket,
            Key: key,
            Body: createReadStream(file),
            ContentType: 'application/octet-stream',
            Metadata: { sha256 },
          },
          partSize: PART_BYTES,
          queueSize: 2,
        }).done();
      }),
    head: (key) =>
      send(`read ${key} in`, async () => {
        const head = await client.send(new sdk.HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
        return { size: head.ContentLength ?? -1, sha256: head.Metadata?.sha256 };
      }),
    list: () =>
      send('list', async () => {
        const objects: BucketObject[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(
            new sdk.ListObjectsV2Command({
              Bucket: s3.bucket,
              Prefix: folder,
              Delimiter: '/',
              ContinuationToken: token,
            }),
          );
          for (const o of page.Contents ?? []) {
            if (!o.Key) continue;
            objects.push({ key: o.Key, name: o.Key.slice(folder.length), size: o.Size ?? 0 });
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return objects;
      }),
    // One by one, not DeleteObjects: that needs Content-MD5 or a checksum header, which not every
    // S3-compatible service takes, and retention removes a backup or two a day.
    remove: (key) =>
      send(`remove ${key} from`, async () => {
        await client.send(new sdk.DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
      }),
    close: () => client.destroy(),
  };
}
