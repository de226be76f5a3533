"""The catalog's REST endpoints: suppliers, catalog items (with the CSV import) and labour
roles with their dated rates; costs are hidden from those who may not see them."""

from tandem.catalog.api import views
from tandem.core.api.routers import router

router.register("suppliers", views.SupplierViewSet)
router.register("catalog-items", views.CatalogItemViewSet)
router.register("labour-roles", views.LabourRoleViewSet)
