"""Any S3-compatible store through boto3; every blocking call runs in a worker thread."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from app.integrations.storage.base import READ_CHUNK


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
            config=Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"}),
        )

    async def check(self) -> None:
        await asyncio.to_thread(self._client.head_bucket, Bucket=self._bucket)

    def writer(self, key: str, content_type: str) -> "S3Writer":
        return S3Writer(self._client, self._bucket, key, content_type, self._part_size)

    async def read(self, key: str) -> AsyncIterator[bytes]:
        response = await asyncio.to_thread(self._client.get_object, Bucket=self._bucket, Key=key)
        body = response["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, READ_CHUNK):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._client.delete_object, Bucket=self._bucket, Key=key)

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
            created = await asyncio.to_thread(
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
        response = await asyncio.to_thread(
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
            await asyncio.to_thread(
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
        await asyncio.to_thread(
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
            # Already completed or gone: then there is nothing left to discard.
            with contextlib.suppress(ClientError):
                await asyncio.to_thread(
                    self._client.abort_multipart_upload,
                    Bucket=self._bucket,
                    Key=self._key,
                    UploadId=upload_id,
                )
