"""POST /api/v1/screening/check and the hit decisions, through the same services as the page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from blonet.screening import selectors
from blonet.screening.api import serializers as s
from blonet.screening.choices import RunSource
from blonet.screening.services import hit_confirm, hit_dismiss, screen_subject
from blonet.screening.services.common import screener_office

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {error: {code, message, fields}}."),
    403: OpenApiResponse(description="No operational posting, or not the post that screened."),
}
NOT_FOUND = {404: OpenApiResponse(description="Missing, or not shared with you.")}


def _valid(serializer_class: type[Any], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CheckView(APIView):
    """Screen one person (name in any script, or MRZ lines), vehicle, container, organisation,
    phone or document against the watchlists shared with you. Every check is recorded and
    audited; hits wait for a decision (confirm or dismiss)."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="screening_check",
        request=s.ScreeningCheckInputSerializer,
        responses={200: s.ScreeningCheckResultSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        screener_office(request.user)  # 403 before anything else for programme roles
        data = _valid(s.ScreeningCheckInputSerializer, request.data)
        kind = data.pop("kind")
        office = data.pop("office", "") or None
        result = screen_subject(
            actor=request.user, kind=kind, data=data, office=office, source=RunSource.API
        )
        mrz = result.query.mrz if result.query else None
        body = {
            "run": result.run,
            "warnings": result.query.warnings if result.query else [],
            "mrz": mrz,
            "hits": result.hits,
            "suppressed": result.suppressed,
        }
        return Response(s.ScreeningCheckResultSerializer(body).data)


class _Decision(APIView):
    parser_classes = [JSONParser]

    def hit(self, request: Request, pk: Any) -> Any:
        return selectors.hit_get_for(user=request.user, pk=pk)


class HitConfirmView(_Decision):
    @extend_schema(
        operation_id="screening_hit_confirm",
        request=s.ScreeningDecisionSerializer,
        responses={200: s.ScreeningHitSerializer, **ERRORS, **NOT_FOUND},
    )
    def post(self, request: Request, pk: Any) -> Response:
        hit = self.hit(request, pk)
        data = _valid(s.ScreeningDecisionSerializer, request.data)
        hit_confirm(actor=request.user, hit=hit, reason=data.get("reason", ""))
        return Response(s.ScreeningHitSerializer(hit).data)


class HitDismissView(_Decision):
    @extend_schema(
        operation_id="screening_hit_dismiss",
        request=s.ScreeningDecisionSerializer,
        responses={200: s.ScreeningDismissResultSerializer, **ERRORS, **NOT_FOUND},
    )
    def post(self, request: Request, pk: Any) -> Response:
        hit = self.hit(request, pk)
        data = _valid(s.ScreeningDecisionSerializer, request.data)
        hit, remembered = hit_dismiss(actor=request.user, hit=hit, reason=data.get("reason", ""))
        return Response(
            s.ScreeningDismissResultSerializer({"hit": hit, "remembered": remembered}).data
        )
