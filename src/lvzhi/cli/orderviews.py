"""How `lvzhi orders` shows its results: tables on a terminal, one JSON document with --json."""

from __future__ import annotations

from rich.table import Table

from lvzhi.cli.app import out
from lvzhi.cli.common import print_json
from lvzhi.domain.orderrecord import WorkOrder
from lvzhi.domain.workorder import duration_title
from lvzhi.order_view import detail_doc, import_doc, order_doc, stats_doc
from lvzhi.services.orderbase import OrderEnv
from lvzhi.services.orderimport import OrderImportReport
from lvzhi.services.orders import OpenedOrder, OrderDetail
from lvzhi.services.orderstats import OrderStats


def say(message: str) -> None:
    out.print(message, soft_wrap=True, highlight=False)


def _doc(order: WorkOrder, env: OrderEnv, show_contact: bool = False) -> dict:
    return order_doc(
        order, env.clock(), env.policy.warn_before, env.policy.ping_pong_at, show_contact
    )


def _when(order: WorkOrder) -> str:
    return order.deadline.strftime("%Y-%m-%d %H:%M") + (
        "（暂定）" if order.deadline_provisional else ""
    )


def opened(result: OpenedOrder, env: OrderEnv, as_json: bool) -> None:
    order = result.order
    if as_json:
        doc = _doc(order, env)
        doc["duplicates"] = [
            {"id": o.id, "score": s, "content": o.content} for o, s in result.duplicates
        ]
        print_json(doc)
        return
    say(f"已受理工单 {order.id}（{order.state.title}）")
    say(f"分派建议：{order.notice}")
    confidence = "" if order.confidence is None else f"（置信度 {order.confidence:.2f}）"
    say(f"承办单位：{order.responsible}{confidence}    办理期限：{_when(order)}")
    for other, score in result.duplicates:
        say(
            f"可能重复：工单 {other.id}（相似度 {score:.2f}）{other.content[:40]}；可用 lvzhi orders merge 合并"
        )


def imported(report: OrderImportReport, as_json: bool) -> None:
    if as_json:
        print_json(import_doc(report))
        return
    say(report.summary)
    if report.verdicts:
        from lvzhi.domain.router import Verdict

        say(
            "分派："
            + "，".join(f"{Verdict(v).title} {n} 件" for v, n in report.verdicts.most_common())
        )
    for bad in report.bad:
        say(f"  {bad}")
    if report.duplicates:
        say("疑似重复（已照常导入，确属同一事项的请在工单页面合并）：")
    for row in report.duplicates:
        say(f"  {row}")


def listing(found: list[WorkOrder], total: int, env: OrderEnv, as_json: bool) -> None:
    if as_json:
        print_json({"total": total, "orders": [_doc(o, env) for o in found]})
        return
    table = Table(
        "编号", "受理时间", "诉求", "村", "电话", "状态", "事项", "承办单位", "期限", "退单"
    )
    now = env.clock()
    for o in found:
        status = o.deadline_status(now, env.policy.warn_before)
        flag = f"{o.send_backs}" + ("（反复）" if o.ping_pong(env.policy.ping_pong_at) else "")
        table.add_row(
            str(o.id), o.received_at.strftime("%m-%d %H:%M"), o.content[:30], o.village, o.masked_phone,
            o.state.title + (f"（并入 {o.merged_into}）" if o.merged_into else ""), o.item_key or "清单外",
            o.assignee or f"建议：{o.responsible}", f"{_when(o)} {status.title}", flag,
        )  # fmt: skip
    out.print(table)
    say(f"共 {total} 件" + (f"，显示前 {len(found)} 件" if total > len(found) else ""))


def detail(found: OrderDetail, env: OrderEnv, show_contact: bool, as_json: bool) -> None:
    if as_json:
        now, warn, at = env.clock(), env.policy.warn_before, env.policy.ping_pong_at
        print_json(detail_doc(found, now, warn, at, show_contact, env.is_workday))
        return
    o = found.order
    phone = o.reporter_phone if show_contact else o.masked_phone
    say(
        f"[bold]工单 {o.id}[/]（第 {o.version} 版）  {o.state.title}  来源：{o.source.title} {o.source_id or ''}"
    )
    say(f"诉求：{o.content}")
    say(
        f"地址：{o.address or '—'}  村（社区）：{o.village or '—'}  联系人：{o.reporter_name or '—'} {phone}"
    )
    say(
        f"受理：{o.received_at:%Y-%m-%d %H:%M}  期限：{_when(o)}（{o.deadline_status(env.clock(), env.policy.warn_before).title}）"
    )
    clock = found.deadline_clock(env.clock(), env.is_workday)
    if clock.paused or clock.suspended_since:
        say(
            f"原期限：{clock.original:%Y-%m-%d %H:%M}  累计挂起：{duration_title(clock.paused)}"
            + (f"  挂起中（自 {clock.suspended_since:%Y-%m-%d %H:%M}），计时暂停，恢复办理后期限顺延"
               if clock.suspended_since else "")
        )  # fmt: skip
    say(f"分派依据（{o.routing_status.title}）：{o.notice}")
    say(
        f"承办单位：{o.assignee or '未分派'}  退单 {o.send_backs} 次"
        + ("，反复退单" if o.ping_pong(env.policy.ping_pong_at) else "")
    )
    if o.reply:
        say(f"答复：{o.reply}")
    if o.satisfaction:
        say(f"满意度：{o.satisfaction.title}")
    if o.merged_into:
        say(f"已并入工单 {o.merged_into}")
    for child in found.merged:
        say(f"并入本单：工单 {child.id} {child.content[:40]}")
    table = Table("时间", "操作人", "事件", "说明")
    for e in found.events:
        table.add_row(f"{e.at:%Y-%m-%d %H:%M}", e.actor, e.summary, e.note)
    out.print(table)
    for a in found.attachments:
        say(f"附件 {a.id}：{a.file_name}（{a.size} 字节）")
    for other, score in found.duplicates:
        say(f"可能重复：工单 {other.id}（相似度 {score:.2f}）{other.content[:40]}")
    if found.actions:
        say("可以：" + "、".join(f"{a.title}（{a.value}）" for a in found.actions))


def changed(order: WorkOrder, env: OrderEnv, as_json: bool) -> None:
    if as_json:
        print_json(_doc(order, env))
        return
    who = f"，承办单位：{order.assignee}" if order.assignee else ""
    say(
        f"工单 {order.id} 现为“{order.state.title}”（第 {order.version} 版）{who}；分派依据：{order.routing_status.title}"
    )


def statistics(stats: OrderStats, as_json: bool) -> None:
    if as_json:
        print_json(stats_doc(stats))
        return
    t = stats.totals
    say(
        f"{stats.township}：共 {t.total} 件，在办 {t.open}（超期 {t.overdue}，即将到期 {t.due_soon}），已办结 {t.closed}（超期办结 {t.closed_late}）"
    )
    rate = "—" if stats.satisfaction_rate is None else f"{stats.satisfaction_rate:.0%}"
    say(
        "回访：" + "，".join(f"{k} {v}" for k, v in stats.satisfaction.items()) + f"；满意率 {rate}"
    )
    hours = stats.close_hours
    if hours["count"]:
        say(f"办结用时：平均 {hours['mean']} 小时，中位数 {hours['median']} 小时")
    say(f"反复退单 {stats.ping_pong} 件，退单共 {stats.send_backs} 次")
    for title, groups in (("承办单位", stats.by_assignee), ("类别", stats.by_category)):
        table = Table(title, "总数", "在办", "超期", "已办结", "超期办结")
        for g in groups[:15]:
            table.add_row(
                g.title,
                *(
                    str(x)
                    for x in (
                        g.tally.total,
                        g.tally.open,
                        g.tally.overdue,
                        g.tally.closed,
                        g.tally.closed_late,
                    )
                ),
            )
        out.print(table)
    say(
        "近 12 周（受理/办结）："
        + "  ".join(f"{w.start:%m-%d} {w.received}/{w.closed}" for w in stats.weeks)
    )
