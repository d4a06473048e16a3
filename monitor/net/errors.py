"""Network failures as names: what the findings document calls an exception of httpx, aiohttp, the
OS or a timeout (``timeout``, ``dns_error``, ``tls_error``, ``connect_error``, ``protocol_error``,
``invalid_url``, ``private_address``), so a failure is a value the checks can read.
"""

from __future__ import annotations

import re
import ssl

import aiohttp
import httpx

from monitor.net.wire import PrivateAddressError

NETWORK_ERRORS = (httpx.HTTPError, httpx.InvalidURL, aiohttp.ClientError, OSError, TimeoutError, UnicodeError)
_DNS_RE = re.compile(r"name resolution|getaddrinfo|name or service not known|nodename nor servname|"
                     r"no address associated|errno -[235]\]|errno 11001|dns", re.I)
DNS_AGAIN = re.compile(r"temporary failure in name resolution|try again|eai_again|errno -3\]", re.I)
_TLS_RE = re.compile(r"ssl|certificate|tls", re.I)


def chain_text(exc: BaseException) -> str:
    """The messages of an exception and its causes (a resolver's message is often in the cause)."""
    parts, seen = [], 0
    current: BaseException | None = exc
    while current is not None and seen < 5:
        parts.append(f"{type(current).__name__}: {current}")
        current, seen = current.__cause__ or current.__context__, seen + 1
    return " | ".join(parts)


def error_name(exc: BaseException) -> str:
    """The findings-document name of a network exception (httpx, aiohttp, OS or timeout)."""
    current: BaseException | None = exc
    for _ in range(5):
        if current is None:
            break
        if isinstance(current, PrivateAddressError) or isinstance(getattr(current, "os_error", None), PrivateAddressError):
            return "private_address"
        current = current.__cause__ or current.__context__
    if isinstance(exc.__cause__, aiohttp.ClientError):
        return _aiohttp_error(exc.__cause__)
    if isinstance(exc, aiohttp.ClientError):
        return _aiohttp_error(exc)
    text = f"{type(exc).__name__} {exc}"
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return "timeout"
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL, UnicodeError, ValueError)):
        return "invalid_url"
    if isinstance(exc, ssl.SSLError):
        return "tls_error"
    if isinstance(exc, httpx.ConnectError):
        return "dns_error" if _DNS_RE.search(text) else "tls_error" if _TLS_RE.search(text) else "connect_error"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.LocalProtocolError, httpx.DecodingError)):
        return "protocol_error"
    if isinstance(exc, (httpx.NetworkError, httpx.ProxyError, OSError)):
        return "dns_error" if _DNS_RE.search(text) else "connect_error"
    return "protocol_error"


def _aiohttp_error(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return "timeout"
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        return "tls_error"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "dns_error"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return "dns_error" if _DNS_RE.search(str(exc)) else "connect_error"
    if isinstance(exc, (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError)):
        return "invalid_url"
    if isinstance(exc, (aiohttp.ClientPayloadError, aiohttp.ClientResponseError)):
        return "protocol_error"
    return "connect_error"
