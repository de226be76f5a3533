"""The REST API's shared parts, which every app's `api.py` builds on.

- `routers`: the one `router` every app registers its viewsets on (from its own `api.py`,
  imported at start-up by CoreConfig.ready); tandem/api/urls.py serves it under /api/v1/.
- `pagination`: the page size and its query parameter (REST_FRAMEWORK's default).
- `views`: `ApiViewSet`, the read endpoints every viewset starts from; `api_error` and
  `Conflict`, a service's ValidationError as the API's answer; `StableOrderingFilter`;
  `fields_and_version`.
- `fields`: `VersionField` (optimistic concurrency) and `active_users`.
- `permissions`: `ReadForViewersWriteByRule`, the base of the apps' permission classes.

Nothing is imported here: DRF loads the pagination class while it defines its generic views,
so this package must stay importable before they exist.
"""
