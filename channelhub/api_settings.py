"""The REST API's and the OpenAPI schema's settings (DRF, drf-spectacular).

Nothing here is tunable from the environment: settings.py imports both dicts as they are.
"""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.auth.TokenAuthentication",  # token, user, role and permissions: one query
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.RoleModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "common.filters.FilterBackend",  # django-filter's, ids as common.filters says
        "rest_framework.filters.OrderingFilter",
    ],
    # Bodies are JSON; the upload views (xlsx imports, the contract PDF) declare multipart
    # themselves. One content type per body is what generated clients can use.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "channelhub.schema.AutoSchema",
    "EXCEPTION_HANDLER": "common.exceptions.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ChannelHub API",
    "DESCRIPTION": "Channel department system of record: organisation, partners, sales "
    "activity, targets and incentives. Token auth: POST /api/v1/auth/token/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The docs open with one collapsed section per area (a tag): with every one of the ~150
    # operations expanded at once Swagger UI stopped rendering after the first few.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "docExpansion": "none"},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # channelhub/schema.py: one language, tags, summaries, the error envelope, patterns.
    "DEFAULT_GENERATOR_CLASS": "channelhub.schema.SchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "channelhub.schema.postprocess_contract",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVERS": [{"url": "/", "description": "This deployment"}],
    # Stable English component names, one per set of choices (generators name classes so).
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "partners.choices.PartnerKind",
        "PartnerStatusEnum": "partners.choices.PartnerStatus",
        "CreditRatingEnum": "partners.choices.CreditRating",
        "ApplicationStatusEnum": "partners.choices.ApplicationStatus",
        "FeeModeEnum": "partners.choices.FeeMode",
        "FeeMilestoneEnum": "partners.choices.FeeMilestone",
        "ContractStatusEnum": "partners.choices.ContractStatus",
        "TrainingTopicEnum": "partners.choices.TrainingTopic",
        "PropertyTypeEnum": "sales.choices.PropertyType",
        "StaffLevelEnum": "sales.choices.StaffLevel",
        "StaffRoleEnum": "channelhub.schema.staff_role_choices",
        "PhoneModeEnum": "sales.choices.PhoneMode",
        "AttributionModeEnum": "sales.choices.AttributionMode",
        "CustomerStatusEnum": "sales.choices.CustomerStatus",
        "CustomerOwnerTypeEnum": ["marketer", "partner", "walk_in"],
        "ProtectionKindEnum": ["registration", "deal", "walk_in"],
        "RegistrationStatusEnum": "sales.choices.RegistrationStatus",
        # A visit is logged pending or confirmed (VisitLog…), and read back in any status.
        "VisitStatusEnum": "sales.choices.VisitStatus",
        "VisitLogStatusEnum": ["pending", "confirmed"],
        "SigningStatusEnum": "sales.choices.SigningStatus",
        "SubscriptionStatusEnum": "sales.choices.SubscriptionStatus",
        "PaymentKindEnum": "sales.choices.PaymentKind",
        "MortgageStatusEnum": "sales.choices.MortgageStatus",
        "ImportKindEnum": ["visits", "signings"],
        "BoardKindEnum": "incentives.choices.BoardKind",
        "StatementStatusEnum": "incentives.choices.StatementStatus",
        "StatementLineKindEnum": "incentives.choices.LineKind",
        "CommissionModeEnum": "incentives.choices.CommissionMode",
        "TargetMetricEnum": "incentives.choices.TargetMetric",
        "TargetSubjectEnum": "incentives.choices.TargetSubject",
        "CostCategoryEnum": "incentives.choices.CostCategory",
        "SimulationSourceEnum": ["stored", "computed", "mixed"],
        "JobRunStatusEnum": "common.models.JobRun.Status",
        "ComputeStatusEnum": ["queued", "succeeded"],
        "CustomerSourceEnum": "sales.choices.CustomerSource",
        "CampaignKindEnum": "sales.choices.CampaignKind",
        "CampaignStatusEnum": "sales.choices.CampaignStatus",
    },
}
