"""``/ca``: the plant CA's certificate and how to trust it on tablets (docs/deploy.md §5).

The PWA needs HTTPS; with ``fangtan tls init`` the server's certificate comes from a private CA that
tablets must trust once. This page (Chinese, no account: a tablet that does not trust the CA yet
cannot sign in) offers the certificate, its fingerprint to compare, a QR code of the download link
for tablets, and the steps for Android, iPadOS and Windows. Without a private CA (the company's own
certificate) it says nothing needs installing.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import segno
from litestar import Request, Response, get

from server.settings import Settings
from server.tls import TlsFiles, der, fingerprint
from server.web.deps import SettingsDep
from server.web.guards import allows

CERT_FILE = "fangtan-ca.crt"
log = logging.getLogger("fangtan")

_STYLE = """body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#222}
main{max-width:640px;margin:0 auto;padding:16px}h1{font-size:20px;margin:8px 0 16px}h2{font-size:17px;margin:0 0 8px}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.fp{font-family:monospace;font-size:13px;word-break:break-all}
a.button{display:inline-block;background:#1d6fd8;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none}
ol{padding-left:20px;margin:0}li{margin-bottom:4px}"""


def _page(inner: str) -> str:
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex\">"
            f"<title>安装访谈系统证书</title><style>{_STYLE}</style></head><body><main>{inner}</main></body></html>")


def _ca_pem(settings: Settings) -> bytes | None:
    path = Path(settings.ca_cert) if settings.ca_cert else TlsFiles.in_data_dir(settings.data_dir).ca_cert
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as exc:  # e.g. Caddy's root left 0600: say so in the log, offer nothing
        log.warning("the CA certificate for /ca cannot be read: %s", exc)
        return None


NO_CA_PAGE = _page(
    "<h1>无需安装证书</h1><div class=\"card\">本服务器没有使用访谈系统自建的证书颁发机构（CA）："
    "它使用公司的证书。若平板提示证书不受信任，请联系信息中心，由其通过移动设备管理系统下发公司根证书。</div>"
)


def render_ca_page(pem: bytes, download_url: str) -> str:
    e = html.escape
    qr = segno.make(download_url, error="m").svg_inline(scale=5, border=2)
    inner = (
        "<h1>在平板上安装访谈系统证书</h1>"
        "<div class=\"card\">访谈系统只能通过 HTTPS 打开（离线使用、PIN 锁和加密都需要安全连接）。"
        "工厂内网的服务器证书由本系统自建的证书颁发机构（CA）签发，每台平板需要安装并信任一次下面的 CA 证书。"
        "安装后，请重新打开访谈系统的 https:// 地址。</div>"
        f"<div class=\"card\"><h2>1. 下载证书</h2><p><a class=\"button\" href=\"/ca/{CERT_FILE}\" download>"
        f"下载 CA 证书（{CERT_FILE}）</a></p>"
        f"<p>用平板扫描二维码下载：</p><div class=\"qr\" data-test=\"ca-qr\">{qr}</div>"
        f"<p>下载地址：<span class=\"fp\">{e(download_url)}</span></p>"
        f"<p>安装前请核对证书指纹（SHA-256）：</p><p class=\"fp\" data-test=\"ca-fingerprint\">{e(fingerprint(pem))}</p></div>"
        "<div class=\"card\"><h2>2. 安卓平板</h2><ol>"
        "<li>下载证书文件后，打开「设置」→「安全」（或「安全和隐私」）→「更多安全设置」→「加密与凭据」。</li>"
        "<li>选择「安装证书」→「CA 证书」，看到提示后选择「仍然安装」。</li>"
        f"<li>选择刚下载的 {CERT_FILE}，按提示输入锁屏密码。</li>"
        "<li>在「受信任的凭据」→「用户」中可以看到并核对该证书。</li></ol></div>"
        "<div class=\"card\"><h2>3. iPad（iPadOS）</h2><ol>"
        "<li>用 Safari 打开本页并下载证书，提示「已下载描述文件」。</li>"
        "<li>打开「设置」→「已下载描述文件」→「安装」，输入密码。</li>"
        "<li>再到「设置」→「通用」→「关于本机」→「证书信任设置」，打开该证书的「完全信任」开关。</li></ol></div>"
        "<div class=\"card\"><h2>4. Windows 电脑或平板</h2><ol>"
        f"<li>双击下载的 {CERT_FILE}，选择「安装证书」。</li>"
        "<li>选择「本地计算机」，再选择「将所有的证书都放入下列存储」→「受信任的根证书颁发机构」。</li>"
        "<li>完成后重新启动浏览器（Edge、Chrome）。</li></ol></div>"
        "<div class=\"card\"><h2>批量下发</h2>平板较多时，信息中心可以通过移动设备管理系统（"
        "如企业微信设备管理、Intune、Jamf 或厂商的管理平台）把这张 CA 证书作为「受信任的根证书」下发到所有平板，"
        "无需逐台操作。证书文件就是上面的下载链接。</div>"
        "<div class=\"card\">职工自己的手机不需要安装本证书：评价页和回执页使用公司公网证书的地址。</div>"
    )
    return _page(inner)


@get("/ca", exclude_from_auth=True, guards=[allows("ca.read")], include_in_schema=False, sync_to_thread=False)
def ca_page(request: Request, settings: SettingsDep) -> Response[str]:
    """How to trust the plant CA (HTML, Chinese)."""
    pem = _ca_pem(settings)
    if pem is None:
        return Response(NO_CA_PAGE, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})
    url = f"{str(request.base_url).rstrip('/')}/ca/{CERT_FILE}"
    return Response(render_ca_page(pem, url), media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


@get(f"/ca/{CERT_FILE}", exclude_from_auth=True, guards=[allows("ca.read")], include_in_schema=False, sync_to_thread=False)
def ca_certificate(settings: SettingsDep) -> Response[bytes]:
    """The CA certificate in DER, served as a CA certificate so tablets offer to install it."""
    pem = _ca_pem(settings)
    if pem is None:
        return Response(NO_CA_PAGE.encode(), status_code=404, media_type="text/html; charset=utf-8")
    return Response(der(pem), media_type="application/x-x509-ca-cert", headers={
        "Content-Disposition": f"attachment; filename=\"{CERT_FILE}\"", "Cache-Control": "no-cache"})


CA_ROUTES = [ca_page, ca_certificate]
