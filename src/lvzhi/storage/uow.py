"""The unit of work: one transaction; nothing is stored unless ``commit()`` is called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, RootTransaction

from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.storage.accounts import AccountRepository
from lvzhi.storage.county import CountyRepository
from lvzhi.storage.departments import DepartmentRepository
from lvzhi.storage.orders import OrderRepository
from lvzhi.storage.proposals import ProposalRepository
from lvzhi.storage.repository import ListRepository
from lvzhi.storage.reviews import ReviewRepository
from lvzhi.storage.searchindex import SearchIndex


class SqlUnitOfWork:
    """``with uow: ...; uow.commit()``; leaving the block without commit rolls everything back,
    and so does an exception or a killed process (the database never sees a commit)."""

    lists: ListRepository
    departments: DepartmentRepository
    search: SearchIndex
    orders: OrderRepository
    reviews: ReviewRepository
    proposals: ProposalRepository
    county: CountyRepository
    accounts: AccountRepository

    def __init__(self, engine: Engine, registry: DepartmentRegistry | None = None) -> None:
        self.engine = engine
        self.writing = False
        self._registry = registry
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    @property
    def registry(self) -> DepartmentRegistry:
        if self._registry is None:
            from lvzhi.data import load_departments

            self._registry = load_departments()
        return self._registry

    def for_writing(self) -> SqlUnitOfWork:
        """This unit of work will write: writers take their turn at the start (see ``WRITE_FLAG``)."""
        self.writing = True
        return self

    def __enter__(self) -> SqlUnitOfWork:
        from lvzhi.storage.db import WRITE_FLAG

        self._connection = self.engine.connect()
        self._connection.info[WRITE_FLAG] = self.writing
        self._transaction = self._connection.begin()
        self.lists = ListRepository(self._connection)
        self.departments = DepartmentRepository(self._connection)
        self.search = SearchIndex(self._connection)
        self.orders = OrderRepository(self._connection)
        self.reviews = ReviewRepository(self._connection)
        self.proposals = ProposalRepository(self._connection)
        self.county = CountyRepository(self._connection)
        self.accounts = AccountRepository(self._connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._transaction is not None and self._transaction.is_active:
                self._transaction.rollback()
        finally:
            if self._connection is not None:
                self._connection.close()
            self._connection = self._transaction = None

    def commit(self) -> None:
        assert self._transaction is not None, "commit() outside a unit of work"
        self._transaction.commit()

    def rollback(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
