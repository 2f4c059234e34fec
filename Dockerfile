FROM python:3.11-slim
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY rooms rooms
COPY workshop workshop
COPY assets assets
RUN uv sync --frozen --no-dev
EXPOSE 8080
CMD ["uv", "run", "--no-dev", "workshop", "--host", "0.0.0.0", "--port", "8080"]
