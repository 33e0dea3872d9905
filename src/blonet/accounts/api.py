from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class PostingSerializer(serializers.Serializer[Any]):
    office = serializers.CharField(source="office_id")
    role = serializers.CharField()
    starts = serializers.DateField()
    ends = serializers.DateField(allow_null=True)


class MeView(APIView):
    """Who the token or session belongs to, and their active postings."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "display_name": serializers.CharField(),
                "postings": PostingSerializer(many=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(
            {
                "username": user.get_username(),
                "display_name": user.display_name,
                "postings": PostingSerializer(user.active_postings(), many=True).data,
            }
        )
