// The service's ETag is the stored version of a state, quoted: version 3 is the strong validator "3".

/** The version an ETag names ("3" gives 3), or undefined when there is none or it is not the service's kind. */
export function versionFromETag(etag: string | null | undefined): number | undefined {
  const match = etag ? /^"(\d+)"$/.exec(etag.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

/** The If-Match (or If-None-Match) value that names a version: 3 gives "3". */
export function ifMatch(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`A version is a whole number from 0; got ${version}.`);
  }
  return `"${version}"`;
}
