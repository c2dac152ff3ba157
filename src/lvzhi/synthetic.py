"""Synthetic townships made from the Emin list, for demonstrations and benchmarks: deterministic
for a seed, each township drops, adds, moves and rewords a few items, and each county prints some
departments under other names (a short name the registry knows, or a name it does not).

    counties = synthetic_county(load_emin_list(), count=15, seed=7)   # 15 lists of one county
    for duty_list in synthetic_province(load_emin_list(), 1000): ...  # 1,000 lists, 15 per county

Numbers stay as in the Emin list (an added or moved item takes the next number of its list), as a
published change does, so the routing knowledge keyed by item number still fits the kept items.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.listchanges import Change, ChangeKind, Pending, apply_changes
from lvzhi.domain.model import CooperativeItem, DutyList, Item, ItemKind, ReclaimedItem

FIRST = "东西南北上下新红青白金沙黄清阳长"
SECOND = "山河湖泉川沟桥湾坡岭台滩源营堡峪"
REWORDINGS = (
    ("做好", "负责"), ("开展", "组织开展"), ("负责", "承担"), ("配合", "协助"),
    ("管理", "服务管理"), ("工作", ""), ("落实", "贯彻落实"), ("加强", "强化"),
)  # fmt: skip
NEW_ITEMS: tuple[tuple[ItemKind, str, str], ...] = (
    (ItemKind.BASIC, "综合政务", "负责辖区内无人机飞行活动的登记和巡查"),
    (ItemKind.BASIC, "社会事务", "做好辖区内独居老人定期探访工作"),
    (ItemKind.BASIC, "农业农村", "组织开展庭院经济示范户培育工作"),
    (ItemKind.BASIC, "平安建设", "做好辖区内电动自行车集中充电设施巡查"),
    (ItemKind.COOPERATIVE, "生态环保", "配合开展农村生活污水治理设施运行维护"),
    (ItemKind.COOPERATIVE, "安全生产", "配合开展农村自建房经营性用途安全排查"),
    (ItemKind.RECLAIMED, "市场监管", "对小作坊生产许可的审批"),
    (ItemKind.RECLAIMED, "交通运输", "对农村客运班线经营许可的审批"),
)


@dataclass(frozen=True)
class Variation:
    """What was done to one township's list."""

    township: str
    dropped: int
    added: int
    moved: int
    reworded: int


def place_names(count: int, rng: random.Random, prefix: str = "") -> list[str]:
    """``count`` distinct township names such as 东山乡、清河镇 (16 × 16 × 2 = 512 at most)."""
    pool = [f"{a}{b}{s}" for a in FIRST for b in SECOND for s in "乡镇"]
    if count > len(pool):
        raise ValueError(f"最多生成 {len(pool)} 个乡镇名")
    return [prefix + name for name in rng.sample(pool, count)]


def department_renames(base: DutyList, rng: random.Random) -> dict[str, str]:
    """Three departments of the list printed differently in a county: two by a short name the
    registry resolves, one under a name of its own (县X局 -> 县X服务中心)."""
    from lvzhi.data import load_departments

    registry = load_departments()
    printed = sorted({d for item in base.items() for d in _departments(item)})
    renames: dict[str, str] = {}
    short = [(n, a) for n in printed for a in _county_aliases(registry, n)[:1]]
    for name, alias in rng.sample(short, min(2, len(short))):
        renames[name] = alias
    bureaus = [n for n in printed if n.endswith("局") and n not in renames]
    if bureaus:
        name = rng.choice(bureaus)
        renames[name] = name[:-1] + "服务中心"
    return renames


def _county_aliases(registry: DepartmentRegistry, name: str) -> list[str]:
    known = registry.resolve(name)
    return [a for a in (known.aliases if known else ()) if a.startswith("县")]


def vary(
    base: DutyList, township: str, county: str, rng: random.Random, renames: dict[str, str]
) -> tuple[DutyList, Variation]:
    """``base`` as another township's list: a few items dropped, added, moved and reworded."""
    items = list(base.items())
    touched = rng.sample(items, rng.randint(8, 16))
    dropped, moved, reworded = touched[:3], touched[3:5], touched[5:]
    changes = [Change(ChangeKind.REMOVE, item.key) for item in dropped]
    changes += [_move(item, base, rng) for item in moved]
    changes += [c for c in (_reword(item, rng) for item in reworded) if c is not None]
    additions = rng.sample(NEW_ITEMS, rng.randint(1, 3))
    changes += [
        Change(ChangeKind.ADD, target=kind, fields=_new_fields(kind, category, name, base, rng))
        for kind, category, name in additions
    ]
    version = replace(
        base.version, township=township, county=county, source="合成数据（额敏清单变体）"
    )
    varied, _ = apply_changes(base, [Pending(n, c, None) for n, c in enumerate(changes)], version)
    variation = Variation(township, len(dropped), len(additions), len(moved),
                          sum(1 for c in changes if c.kind is ChangeKind.EDIT))  # fmt: skip
    return _renamed(varied, renames), variation


def synthetic_county(
    base: DutyList, count: int = 15, seed: int = 7, county: str = "额敏县"
) -> list[DutyList]:
    """``count`` township lists of one county, the same for the same seed."""
    rng = random.Random(seed)
    renames = department_renames(base, rng)
    names = place_names(count, rng, county)
    return [vary(base, name, county, rng, renames)[0] for name in names]


def synthetic_province(
    base: DutyList, townships: int = 1000, per_county: int = 15, seed: int = 7
) -> Iterator[DutyList]:
    """``townships`` lists in counties of ``per_county`` (合成1县, 合成2县, ...), made lazily."""
    made, number = 0, 0
    while made < townships:
        number += 1
        count = min(per_county, townships - made)
        yield from synthetic_county(base, count, seed * 1000 + number, f"合成{number}县")
        made += count


def _departments(item: Item) -> Sequence[str]:
    if isinstance(item, CooperativeItem):
        return item.lead_departments
    if isinstance(item, ReclaimedItem):
        return item.receiving_departments
    return ()


def _move(item: Item, base: DutyList, rng: random.Random) -> Change:
    """Cooperative items are taken back, reclaimed ones handed back, basic ones taken back."""
    if isinstance(item, CooperativeItem):
        return Change(ChangeKind.MOVE, item.key, ItemKind.RECLAIMED)
    if isinstance(item, ReclaimedItem):
        duties = ("1.发现问题及时上报县级部门。", "2.配合做好宣传和现场协助工作。")
        return Change(ChangeKind.MOVE, item.key, ItemKind.COOPERATIVE,
                      {"township_duties": duties})  # fmt: skip
    lead = rng.choice(base.cooperative).lead_departments
    return Change(ChangeKind.MOVE, item.key, ItemKind.RECLAIMED, {"receiving_departments": lead})


def _reword(item: Item, rng: random.Random) -> Change | None:
    for old, new in rng.sample(REWORDINGS, len(REWORDINGS)):
        if old in item.name:
            name = item.name.replace(old, new, 1)
            if name and name != item.name:
                return Change(ChangeKind.EDIT, item.key, fields={"name": name})
    return None


def _new_fields(
    kind: ItemKind, category: str, name: str, base: DutyList, rng: random.Random
) -> dict[str, str | tuple[str, ...]]:
    fields: dict[str, str | tuple[str, ...]] = {"category": category, "name": name}
    if kind is ItemKind.COOPERATIVE:
        fields["lead_departments"] = rng.choice(base.cooperative).lead_departments
        fields["department_duties"] = ("1.制定工作方案，指导乡镇开展工作。",)
        fields["township_duties"] = ("1.做好日常巡查和信息报送。", "2.配合开展宣传。")
    if kind is ItemKind.RECLAIMED:
        fields["receiving_departments"] = rng.choice(base.reclaimed).receiving_departments
        fields["working_method"] = ("由县级部门直接受理和办理。",)
    return fields


def _renamed(duty_list: DutyList, renames: dict[str, str]) -> DutyList:
    if not renames:
        return duty_list

    def swap(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(renames.get(n, n) for n in names)

    return replace(
        duty_list,
        cooperative=tuple(replace(i, lead_departments=swap(i.lead_departments))
                          for i in duty_list.cooperative),
        reclaimed=tuple(replace(i, receiving_departments=swap(i.receiving_departments))
                        for i in duty_list.reclaimed),
    )  # fmt: skip
