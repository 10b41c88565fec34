from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from sales import services
from sales.api.serializers import ProjectSerializer, StaffSerializer, TeamSerializer
from sales.filters import ProjectFilter, StaffFilter, TeamFilter
from sales.models import Project, Staff, Team
from sales.selectors.org import project_list, staff_list, team_list


@extend_schema_view(list=extend_schema(summary="Projects (楼盘项目)"))
class ProjectViewSet(viewsets.ModelViewSet):
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["name", "code", "city"]

    def get_queryset(self):
        return project_list(user=self.request.user)


@extend_schema_view(list=extend_schema(summary="Teams (渠道小组)"))
class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ["name", "project"]

    def get_queryset(self):
        return team_list(user=self.request.user)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)  # a supervisor's project and supervisor are read-only

    @transaction.atomic
    def _save(self, serializer):
        team = serializer.save()
        services.team_check(team=team)


@extend_schema_view(list=extend_schema(summary="Staff of the channel department"))
class StaffViewSet(viewsets.ModelViewSet):
    queryset = Staff.objects.all()
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    ordering_fields = ["name", "hired_on", "role"]

    def get_queryset(self):
        return staff_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.staff_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        username, password = data.pop("username", ""), data.pop("password", "")
        with transaction.atomic():
            staff = services.staff_update(
                actor=self.request.user, staff=serializer.instance, **data
            )
            if username:
                services.staff_login_create(staff=staff, username=username, password=password)
        serializer.instance = staff
