"""`lvzhi orders ...`: work orders from intake to closing. Thin: options in, one service, a view out."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from lvzhi.cli import orderviews as views
from lvzhi.cli.app import JsonFlag, app, err, fail, out
from lvzhi.cli.common import DEFAULT_TOWNSHIP, TownshipOption, open_database, progress_bar
from lvzhi.config import get_settings
from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import Source
from lvzhi.domain.workorder import Action
from lvzhi.services import orderflow, orders
from lvzhi.services.orderbase import OrderEnv
from lvzhi.storage.db import Database
from lvzhi.storage.orders import OrderFilter

orders_app = typer.Typer(help="工单：受理、按清单分派、办理、回访、统计", no_args_is_help=True)
app.add_typer(orders_app, name="orders")

ByOption = Annotated[str, typer.Option("--by", help="操作人（默认：当前系统用户）")]
VersionCheck = Annotated[
    int | None,
    typer.Option("--expect-version", help="您看到的工单版本；工单已被他人修改时拒绝保存"),
]
ReasonOption = Annotated[
    str, typer.Option("--reason", "-r", help="原因或说明（退单、挂起、重新办理、更正时必填）")
]


def _me() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未署名"


@contextmanager
def order_env() -> Iterator[tuple[Database, OrderEnv]]:
    with open_database() as database:
        yield database, OrderEnv.for_database(database, get_settings().data_dir)


def parse_when(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    from lvzhi.services.hotline import parse_time

    found = parse_time(text)
    if found is None:
        raise fail(f"{option} 的时间“{text}”无法识别，应写成 2025-09-26 10:30 这样的时间", 2)
    return found


def parse_source(text: str) -> Source:
    try:
        return Source.parse(text)
    except DomainError as exc:
        raise fail(str(exc), 2) from None


@orders_app.command("add")
def add(
    content: Annotated[str, typer.Argument(help="诉求内容")],
    source: Annotated[
        str,
        typer.Option(
            help="来源：12345、grid（网格员）、window（窗口）、department（部门交办）、other"
        ),
    ] = "other",
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="来源的工单编号（同一编号不重复受理）")
    ] = None,
    address: Annotated[str, typer.Option(help="地址")] = "",
    village: Annotated[str, typer.Option(help="村（社区）；不填时从地址识别")] = "",
    name: Annotated[str, typer.Option("--name", help="联系人")] = "",
    phone: Annotated[str, typer.Option("--phone", help="联系电话")] = "",
    received: Annotated[str | None, typer.Option(help="受理时间（默认：现在）")] = None,
    deadline: Annotated[
        str | None, typer.Option(help="来源要求的办理时限（默认按事项种类计算工作日）")
    ] = None,
    item: Annotated[
        str | None, typer.Option(help="指定清单事项（如 coop:49）；默认由系统按清单分派")
    ] = None,
    township: TownshipOption = DEFAULT_TOWNSHIP,
    by: ByOption = "",
    as_json: JsonFlag = False,
) -> None:
    """受理一件诉求：按清单给出事项和承办单位建议，计算办理期限，提示可能重复的工单。"""
    intake = orders.Intake(
        content, township, parse_source(source), source_id, address, village, name, phone,
        parse_when(received, "--received"), parse_when(deadline, "--deadline"), item_key=item,
    )  # fmt: skip
    with order_env() as (database, env):
        opened = orders.open_order(database.uow(), env, intake, by or _me())
    views.opened(opened, env, as_json)


@orders_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="热线导出文件（.csv 或 .xlsx）")],
    source: Annotated[str, typer.Option(help="来源（文件没有“来源”列时使用）")] = "12345",
    mapping: Annotated[
        Path | None, typer.Option(help="列映射文件（YAML 或 JSON）：字段: 列名")
    ] = None,
    column: Annotated[
        list[str] | None, typer.Option("--col", help="单个列映射，如 --col content=反映内容")
    ] = None,
    strict: Annotated[bool, typer.Option(help="严格模式：有任何问题行则全部不导入")] = False,
    township: TownshipOption = DEFAULT_TOWNSHIP,
    by: ByOption = "",
    as_json: JsonFlag = False,
) -> None:
    """批量导入热线导出的工单：逐行按清单分派；有问题的行按行号列出；已导入的编号自动跳过。"""
    from lvzhi.services.hotline import ColumnMapping
    from lvzhi.services.orderimport import import_orders

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"无法读取 {file}：{exc.strerror}", 2) from None
    overrides = dict(_pair(c) for c in column or ())
    with order_env() as (database, env), progress_bar(f"导入 {file.name}") as progress:
        columns = ColumnMapping.load(mapping) if mapping else ColumnMapping()
        columns = ColumnMapping.from_mapping({**columns.__dict__, **overrides}, "--col ")
        report = import_orders(
            database.uow(), env, data, file.name, township=township, source=parse_source(source),
            mapping=columns, actor=by or _me(), strict=strict, progress=progress,
        )  # fmt: skip
    views.imported(report, as_json)
    if not report.stored:
        raise typer.Exit(1)


def _pair(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip():
        raise fail(f"--col 应写成 字段=列名（如 content=反映内容），收到“{text}”", 2)
    return field.strip(), header.strip()


@orders_app.command("list")
def list_(
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            "-s",
            help="状态：new assigned in_progress resolved visited returned suspended",
        ),
    ] = None,
    assignee: Annotated[str | None, typer.Option(help="承办单位")] = None,
    item: Annotated[str | None, typer.Option(help="清单事项，如 coop:63")] = None,
    category: Annotated[str | None, typer.Option(help="类别")] = None,
    village: Annotated[str | None, typer.Option(help="村（社区）")] = None,
    text: Annotated[str | None, typer.Option(help="诉求内容或地址包含的字词")] = None,
    overdue: Annotated[bool, typer.Option(help="只列超期未办结的")] = False,
    ping_pong: Annotated[bool, typer.Option("--ping-pong", help="只列反复退单的")] = False,
    limit: Annotated[int, typer.Option(help="最多列出多少件")] = 50,
    township: TownshipOption = DEFAULT_TOWNSHIP,
    as_json: JsonFlag = False,
) -> None:
    """列出工单（最新在前）；电话号码打码显示。"""
    states = tuple(state or ())
    bad = [
        s
        for s in states
        if s
        not in {"new", "assigned", "in_progress", "resolved", "visited", "returned", "suspended"}
    ]
    if bad:
        raise fail(f"状态“{'、'.join(bad)}”无法识别", 2)
    with order_env() as (database, env):
        with database.uow() as uow:
            township_id = orders.township_id_of(uow, township)
        where = OrderFilter(
            township_id=township_id, states=states, assignee=assignee, item_key=item, category=category,
            village=village, text=text, overdue_at=env.clock() if overdue else None,
            ping_pong_at=env.policy.ping_pong_at if ping_pong else None,
        )  # fmt: skip
        found, total = orders.list_orders(database.uow(), where, limit=limit)
    views.listing(found, total, env, as_json)


@orders_app.command("show")
def show(
    order_id: Annotated[int, typer.Argument(help="工单编号")],
    contact: Annotated[bool, typer.Option("--contact", help="显示完整的联系电话")] = False,
    as_json: JsonFlag = False,
) -> None:
    """一件工单：内容、分派依据、期限、办理记录和附件、可能重复的工单。"""
    with order_env() as (database, env):
        detail = orders.get_order(database.uow(), order_id)
    views.detail(detail, env, contact, as_json)


@orders_app.command("assign")
def assign(
    order_id: Annotated[int, typer.Argument(help="工单编号")],
    to: Annotated[
        str | None, typer.Option("--to", help="承办单位（默认：分派依据中的承办单位）")
    ] = None,
    reason: ReasonOption = "",
    by: ByOption = "",
    expect_version: VersionCheck = None,
    as_json: JsonFlag = False,
) -> None:
    """分派工单；分派给建议以外的单位须说明原因（记为更正）。"""
    with order_env() as (database, env):
        order = orderflow.act(database.uow(), env, order_id, Action.ASSIGN, by or _me(), reason=reason,
                              assignee=to, expected_version=expect_version)  # fmt: skip
    views.changed(order, env, as_json)


@orders_app.command("act")
def act(
    order_id: Annotated[int, typer.Argument(help="工单编号")],
    action: Annotated[
        str,
        typer.Argument(
            help="start 开始办理 | resolve 办结 | visit 回访 | send_back 退单 | suspend 挂起 | resume 恢复 | reopen 重新办理 | assign 分派"
        ),
    ],
    reason: ReasonOption = "",
    reply: Annotated[str, typer.Option(help="给诉求人的答复（办结时必填）")] = "",
    satisfaction: Annotated[
        str | None, typer.Option(help="满意度：满意、基本满意、不满意（回访时必填）")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="分派时的承办单位")] = None,
    by: ByOption = "",
    expect_version: VersionCheck = None,
    as_json: JsonFlag = False,
) -> None:
    """办理工单：按状态表执行一个动作，不允许的动作会说明当前可以做什么。"""
    try:
        chosen = Action(action.strip().lower())
    except ValueError:
        names = "、".join(f"{a.value}（{a.title}）" for a in Action)
        raise fail(f"动作“{action}”无法识别，可用：{names}", 2) from None
    with order_env() as (database, env):
        order = orderflow.act(database.uow(), env, order_id, chosen, by or _me(), reason=reason, reply=reply,
                              satisfaction=satisfaction, assignee=to, expected_version=expect_version)  # fmt: skip
    views.changed(order, env, as_json)


@orders_app.command("route")
def route(
    order_id: Annotated[int, typer.Argument(help="工单编号")],
    item: Annotated[
        str | None, typer.Option(help="更正为清单事项（如 basic:3）或 outside（清单外）")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="更正承办单位")] = None,
    reason: ReasonOption = "",
    by: ByOption = "",
    expect_version: VersionCheck = None,
    as_json: JsonFlag = False,
) -> None:
    """确认或更正分派依据（事项和承办单位）；更正须说明原因，记录谁、何时、从何改为何。"""
    with order_env() as (database, env):
        order = orderflow.correct_routing(database.uow(), env, order_id, by or _me(), item_key=item,
                                          responsible=to, reason=reason, expected_version=expect_version)  # fmt: skip
    views.changed(order, env, as_json)


@orders_app.command("note")
def note(
    order_id: Annotated[int, typer.Argument(help="工单编号")],
    text: Annotated[str, typer.Argument(help="办理记录")],
    by: ByOption = "",
) -> None:
    """添加一条办理记录。"""
    with order_env() as (database, env):
        orderflow.add_note(database.uow(), env, order_id, by or _me(), text)
    out.print(f"已记录到工单 {order_id}")


@orders_app.command("merge")
def merge(
    order_id: Annotated[int, typer.Argument(help="主工单编号")],
    others: Annotated[list[int], typer.Argument(help="并入的工单编号")],
    reason: ReasonOption = "",
    by: ByOption = "",
    as_json: JsonFlag = False,
) -> None:
    """把重复的工单并入主工单：各自保留诉求人，随主工单办理并得到同样的答复。"""
    with order_env() as (database, env):
        order = orderflow.merge_orders(database.uow(), env, order_id, others, by or _me(), reason)
    views.changed(order, env, as_json)


@orders_app.command("attach")
def attach(
    order_id: Annotated[int, typer.Argument(help="工单编号")],
    file: Annotated[Path, typer.Argument(help="附件（图片、PDF、DOCX、XLSX、TXT）")],
    by: ByOption = "",
) -> None:
    """给工单上传附件（检查大小和类型，保存在数据目录下）。"""
    from lvzhi.services.attachments import add_attachment

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"无法读取 {file}：{exc.strerror}", 2) from None
    with order_env() as (database, env):
        found = add_attachment(database.uow(), env, order_id, file.name, data, by or _me())
    out.print(f"已上传附件 {found.file_name}（{found.size} 字节，编号 {found.id}）")


@orders_app.command("stats")
def stats(
    since: Annotated[str | None, typer.Option("--from", help="受理时间起（含）")] = None,
    until: Annotated[str | None, typer.Option("--to", help="受理时间止（不含）")] = None,
    township: TownshipOption = DEFAULT_TOWNSHIP,
    as_json: JsonFlag = False,
) -> None:
    """统计：各承办单位、事项、类别的在办、超期、办结；办结用时；满意度；近 12 周趋势。"""
    from lvzhi.services.orderstats import order_stats

    with order_env() as (database, env):
        found = order_stats(
            database.uow(), env, township, parse_when(since, "--from"), parse_when(until, "--to")
        )
    views.statistics(found, as_json)


@orders_app.command("export")
def export(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="输出的 .xlsx 文件")],
    contact: Annotated[bool, typer.Option("--contact", help="导出完整的联系电话")] = False,
    township: TownshipOption = DEFAULT_TOWNSHIP,
) -> None:
    """导出工单和统计表（XLSX）；电话默认打码。"""
    from lvzhi.services.orderexport import export_orders

    with order_env() as (database, env):
        data = export_orders(database.uow(), env, township, show_contact=contact)
    out_path.write_bytes(data)
    err.print(f"已导出到 {out_path}")
