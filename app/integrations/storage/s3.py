"""Any S3-compatible store through boto3; every blocking call runs in a worker thread."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError, ResponseStreamingError
from botocore.exceptions import ConnectionError as BotoConnectionError

from app.core.errors import StorageUnavailable
from app.integrations.storage.base import KEY_PAGE, OWNED_PREFIXES, READ_CHUNK

# Error codes an S3 server uses to say "not now" rather than "not so".
_TRANSIENT_CODES = {"ServiceUnavailable", "SlowDown", "InternalError", "RequestTimeout", "Throttling"}
CONNECT_TIMEOUT_S = 5


def _unreachable(error: Exception) -> bool:
    if isinstance(error, BotoConnectionError | HTTPClientError | ResponseStreamingError):
        return True  # refused, reset, timed out: the store is down or cut off
    if isinstance(error, ClientError):
        response = error.response
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return status >= 500 or response.get("Error", {}).get("Code") in _TRANSIENT_CODES
    return False


async def _call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a blocking boto3 call in a thread; an unreachable store becomes StorageUnavailable.

    boto3 has already retried (see ``Config``) by the time an error gets here."""
    try:
        return await asyncio.to_thread(method, *args, **kwargs)
    except Exception as error:
        if _unreachable(error):
            raise StorageUnavailable() from error
        raise


class S3Storage:
    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key_id: str | None,
        secret_access_key: str | None,
        part_size: int,
        presign_ttl_seconds: int | None,
    ) -> None:
        self._bucket = bucket
        self._part_size = part_size
        self._presign_ttl = presign_ttl_seconds
        self._client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            # A store that is down must fail a request in seconds, not after the default minute.
            config=Config(
                signature_version="s3v4",
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=CONNECT_TIMEOUT_S,
            ),
        )

    async def check(self) -> None:
        await _call(self._client.head_bucket, Bucket=self._bucket)

    def writer(self, key: str, content_type: str) -> "S3Writer":
        return S3Writer(self._client, self._bucket, key, content_type, self._part_size)

    async def read(self, key: str) -> AsyncIterator[bytes]:
        response = await _call(self._client.get_object, Bucket=self._bucket, Key=key)
        body = response["Body"]
        try:
            while chunk := await _call(body.read, READ_CHUNK):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await _call(self._client.delete_object, Bucket=self._bucket, Key=key)

    async def download_url(self, key: str, *, content_type: str, disposition: str) -> str | None:
        if self._presign_ttl is None:
            return None
        return await asyncio.to_thread(
            self._client.generate_presigned_url,
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
            },
            ExpiresIn=self._presign_ttl,
        )

    async def sweep_partial_uploads(self, older_than: timedelta) -> int:
        return await _call(self._sweep, datetime.now(UTC) - older_than)

    def _sweep(self, cutoff: datetime) -> int:
        """Abort the multipart uploads under this service's prefixes begun before ``cutoff``.

        Aborting frees the parts already stored; an upload completed or aborted meanwhile
        (by its writer or another sweep) is simply gone."""
        swept = 0
        pages = self._client.get_paginator("list_multipart_uploads")
        for prefix in OWNED_PREFIXES:
            for page in pages.paginate(Bucket=self._bucket, Prefix=prefix):
                for upload in page.get("Uploads", []):
                    if upload["Initiated"] >= cutoff:
                        continue
                    with contextlib.suppress(self._client.exceptions.NoSuchUpload):
                        self._client.abort_multipart_upload(
                            Bucket=self._bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                        )
                        swept += 1
        return swept

    async def stored_keys(self, prefix: str, written_before: datetime) -> AsyncIterator[list[str]]:
        paginator = self._client.get_paginator("list_objects_v2")
        pages = iter(
            paginator.paginate(Bucket=self._bucket, Prefix=prefix, PaginationConfig={"PageSize": KEY_PAGE})
        )
        while (page := await _call(next, pages, None)) is not None:
            if keys := [o["Key"] for o in page.get("Contents", []) if o["LastModified"] < written_before]:
                yield keys


class S3Writer:
    """Small objects are sent with one PUT on commit; larger ones as a multipart upload whose
    parts go out while the next part is being received (one part in flight at a time)."""

    def __init__(self, client: Any, bucket: str, key: str, content_type: str, part_size: int) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        self._content_type = content_type
        self._part_size = part_size
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []
        self._in_flight: asyncio.Task | None = None

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        if len(self._buffer) >= self._part_size:
            part, self._buffer = self._buffer, bytearray()
            await self._send_part(part)

    async def _send_part(self, part: bytearray) -> None:
        if self._upload_id is None:
            created = await _call(
                self._client.create_multipart_upload,
                Bucket=self._bucket,
                Key=self._key,
                ContentType=self._content_type,
            )
            self._upload_id = created["UploadId"]
        await self._wait_in_flight()
        number = len(self._parts) + 1
        self._parts.append({"PartNumber": number})
        self._in_flight = asyncio.create_task(self._upload_part(number, part))

    async def _upload_part(self, number: int, part: bytearray) -> None:
        response = await _call(
            self._client.upload_part,
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=part,
        )
        self._parts[number - 1]["ETag"] = response["ETag"]

    async def _wait_in_flight(self) -> None:
        if self._in_flight is not None:
            task, self._in_flight = self._in_flight, None
            await task

    async def commit(self) -> None:
        if self._upload_id is None:
            await _call(
                self._client.put_object,
                Bucket=self._bucket,
                Key=self._key,
                Body=bytes(self._buffer),
                ContentType=self._content_type,
            )
            return
        if self._buffer:
            part, self._buffer = self._buffer, bytearray()
            await self._send_part(part)
        await self._wait_in_flight()
        await _call(
            self._client.complete_multipart_upload,
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )

    async def abort(self) -> None:
        self._buffer = bytearray()
        if self._in_flight is not None:
            self._in_flight.cancel()
            self._in_flight = None
        if self._upload_id is not None:
            upload_id, self._upload_id = self._upload_id, None
            # Already completed or gone: nothing left to discard. Store unreachable: the
            # sweep (app.cli sweep-uploads) aborts it later.
            with contextlib.suppress(ClientError, StorageUnavailable):
                await _call(
                    self._client.abort_multipart_upload,
                    Bucket=self._bucket,
                    Key=self._key,
                    UploadId=upload_id,
                )
