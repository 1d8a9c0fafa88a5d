"""deploy/: the Compose file and the Kubernetes manifests, checked offline.

The validators carry their schemas (`make deploy-tools`, requirements-deploy.lock): check-jsonschema the
Compose specification's, kubernetes-validate the Kubernetes API's. Every tool runs with its proxy pointed at a
closed port, so one that tried to download anything would fail here. Under CI a missing tool fails the run.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Set

import pytest
import yaml

from bot import serve, settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
OVERLAY = DEPLOY / "k8s" / "overlays" / "example"
TOOLS = ROOT / ".venv-deploy" / "bin"
# The oldest Kubernetes the manifests are meant for (AKS's supported versions) and the newest carried.
KUBERNETES_VERSIONS = ("1.33.0", "1.37.0")
DOOR_PORT = 8080
INGRESS_NAMESPACE = "ingress-nginx"
WEBHOOKS = ("/webhooks/rest/webhook", "/webhooks/teams/webhook", "/webhooks/teams/")
SECRET_SETTINGS = {setting.name for setting in settings.ALL if setting.secret} | {"DATABASE_URL", "REDIS_URL"}

Doc = Dict[str, Any]


def tool(name: str) -> str:
    found = TOOLS / name
    if found.is_file():
        return str(found)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    message = f"{name} is not installed: `make deploy-tools` installs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    """command with every download made to fail: its proxies are a closed port on this machine."""
    closed = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed,
           "NO_PROXY": "", "no_proxy": ""}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


# -- Compose ---------------------------------------------------------------------------------------------------

def check_compose(path: Path) -> subprocess.CompletedProcess[str]:
    return run(tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path))


@pytest.fixture(scope="module")
def compose() -> Doc:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_the_compose_file_meets_the_compose_specification() -> None:
    result = check_compose(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("broken", [
    ("  nginx:\n    image:", "  nginx:\n    imagee:"),  # a key the specification does not have
    ("start_period: 30s", "start_period: [30s]"),  # a list where a duration goes
])
def test_a_broken_compose_file_is_refused(tmp_path: Path, broken: tuple[str, str]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert broken[0] in text
    copy = tmp_path / "compose.yaml"
    copy.write_text(text.replace(broken[0], broken[1], 1), encoding="utf-8")
    result = check_compose(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Schema validation errors" in result.stdout + result.stderr


def replicas(compose: Doc) -> List[str]:
    return sorted(name for name in compose["services"] if re.fullmatch(r"replica-\d+", name))


def test_only_nginx_publishes_a_port(compose: Doc) -> None:
    publishing = [name for name, service in compose["services"].items() if service.get("ports")]
    assert publishing == ["nginx"]
    assert compose["services"]["nginx"]["ports"] == ["${HTTP_PORT:-8080}:8080"]


def test_each_replica_is_a_door_with_its_rasa_and_action_server_on_its_network(compose: Doc) -> None:
    services = compose["services"]
    assert len(replicas(compose)) >= 2
    for replica in replicas(compose):
        assert services[replica]["command"][:4] == ["python", "-m", "bot", "web"]
        for part in ("rasa", "actions"):
            assert services[f"{replica}-{part}"]["network_mode"] == f"service:{replica}"
            assert services[f"{replica}-{part}"]["depends_on"]["migrate"] == {
                "condition": "service_completed_successfully"}
        assert services["nginx"]["depends_on"][replica]["condition"] == "service_healthy"


def test_the_migration_runs_once_before_rasa(compose: Doc) -> None:
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["python", "-m", "bot", "db", "upgrade"]
    assert migrate["restart"] == "no"


def test_no_secret_value_is_written_in_the_compose_file(compose: Doc) -> None:
    for name, service in compose["services"].items():
        environment = service.get("environment") or {}
        assert not SECRET_SETTINGS & set(environment) - {"REDIS_URL"}, name
        assert not re.search(r"://[^/@\s]*:[^/@\s]*@", str(environment)), name  # no password in an address
    assert all(set(secret) == {"file"} for secret in compose["secrets"].values())


def nginx_structure(text: str) -> Dict[str, Any]:
    """nginx.conf's routing: each location's upstream and timeouts, and which upstreams are ip_hash."""
    locations = {match[0].strip(): match[1] for match in re.findall(r"location ([^{]+)\{([^}]*)\}", text)}
    upstreams = dict(re.findall(r"upstream (\w+) \{([^}]*)\}", text))
    return {
        "locations": {where: sorted(line.strip() for line in body.strip().splitlines())
                      for where, body in locations.items()},
        "ip_hash": sorted(name for name, body in upstreams.items() if "ip_hash;" in body),
    }


def test_the_compose_nginx_routes_as_the_template_does(compose: Doc) -> None:
    ours = (DEPLOY / "compose" / "nginx.conf").read_text(encoding="utf-8")
    assert nginx_structure(ours) == nginx_structure((DEPLOY / "nginx.conf.template").read_text(encoding="utf-8"))
    upstreams = dict(re.findall(r"upstream (\w+) \{([^}]*)\}", ours))
    for upstream in ("socketio", "webhooks"):
        assert re.findall(r"server ([\w-]+):8080", upstreams[upstream]) == replicas(compose)
    assert re.findall(r"server ([\w-]+):8080", upstreams["web_tier"]) == ["web"]


@pytest.mark.parametrize("path", [DEPLOY / "compose" / "endpoints.yml", DEPLOY / "k8s" / "base" / "endpoints.yml"])
def test_rasa_gets_the_endpoints_a_replica_of_make_run_cluster_gets(path: Path) -> None:
    expected = serve.endpoints_config(serve.ACTIONS_PORT, {"REDIS_URL": "redis://redis:6379/0"})
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == expected


def flags(command: List[str]) -> List[str]:
    return [part for part in command if part.startswith("--")]


def test_the_containers_run_what_bot_serve_runs(compose: Doc) -> None:
    env = {"ALLOWED_ORIGINS": "https://assistant.example.org"}
    rasa = serve.rasa_command(Path("model.tar.gz"), env=env)
    actions = serve.actions_command(env=env)
    web = serve.web_command(env=env, host="0.0.0.0")
    services = compose["services"]
    assert flags(services["replica-1-rasa"]["command"]) == flags(rasa)
    assert services["replica-1-rasa"]["command"][:3] == ["python", *rasa[1:3]]
    assert flags(services["replica-1-actions"]["command"]) == flags(actions)
    assert set(flags(services["replica-1"]["command"])) == set(flags(web))


# -- Kubernetes ------------------------------------------------------------------------------------------------

def kustomize(directory: Path) -> subprocess.CompletedProcess[str]:
    return run(tool("kubectl"), "kustomize", str(directory))


@pytest.fixture(scope="module")
def rendered() -> str:
    result = kustomize(OVERLAY)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def objects(rendered: str) -> List[Doc]:
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


def validate(path: Path, version: str) -> subprocess.CompletedProcess[str]:
    return run(tool("kubernetes-validate"), "--strict", "--quiet", "--kubernetes-version", version, str(path))


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_rendered_object_meets_the_kubernetes_schemas(tmp_path: Path, rendered: str, version: str) -> None:
    path = tmp_path / "rendered.yaml"
    path.write_text(rendered, encoding="utf-8")
    result = validate(path, version)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("broken", [
    ("containerPort: 8080", 'containerPort: "eighty"'),  # a string where a number goes
    ("minAvailable: 1", "minimumAvailable: 1"),  # a field the API does not have
])
def test_a_broken_object_is_refused(tmp_path: Path, rendered: str, broken: tuple[str, str]) -> None:
    assert broken[0] in rendered
    path = tmp_path / "rendered.yaml"
    path.write_text(rendered.replace(broken[0], broken[1], 1), encoding="utf-8")
    result = validate(path, KUBERNETES_VERSIONS[0])
    assert result.returncode != 0
    assert "did not validate" in result.stdout + result.stderr


def test_a_broken_kustomization_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "k8s"
    shutil.copytree(DEPLOY / "k8s", copy)
    kustomization = copy / "base" / "kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("- web.yaml", "- missing.yaml"))
    assert kustomize(copy / "overlays" / "example").returncode != 0


def of_kind(objects: List[Doc], kind: str) -> List[Doc]:
    return [doc for doc in objects if doc["kind"] == kind]


def named(objects: List[Doc], kind: str, name: str) -> Doc:
    (found,) = [doc for doc in of_kind(objects, kind) if doc["metadata"]["name"] == name]
    return found


def pod_specs(objects: List[Doc]) -> Iterator[tuple[str, Doc]]:
    for doc in objects:
        if doc["kind"] in ("Deployment", "Job"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]
        elif doc["kind"] == "CronJob":
            yield doc["metadata"]["name"], doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def containers(objects: List[Doc]) -> Iterator[tuple[str, Doc, Doc]]:
    for name, spec in pod_specs(objects):
        for container in spec.get("initContainers", []) + spec["containers"]:
            yield f"{name}/{container['name']}", spec, container


def routes(ingress: Doc) -> Dict[str, str]:
    return {path["path"]: path["backend"]["service"]["name"]
            for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}


def test_the_ingress_pins_socketio_by_cookie_and_spreads_the_webhooks(objects: List[Doc]) -> None:
    ingresses = of_kind(objects, "Ingress")
    pinned = [ingress for ingress in ingresses if "/socket.io/" in routes(ingress)]
    assert len(pinned) == 1
    annotations = pinned[0]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-path"] == "/socket.io/"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert routes(pinned[0]) == {"/socket.io/": "assistant-rasa"}
    (spread,) = [ingress for ingress in ingresses if ingress is not pinned[0]]
    assert "nginx.ingress.kubernetes.io/affinity" not in spread["metadata"].get("annotations", {})
    assert routes(spread) == {**{path: "assistant-rasa" for path in WEBHOOKS}, "/": "assistant-web"}
    for ingress in ingresses:
        assert ingress["spec"]["tls"] and ingress["spec"]["ingressClassName"] == "nginx"


def test_the_rasa_service_reaches_the_door_only(objects: List[Doc]) -> None:
    service = named(objects, "Service", "assistant-rasa")
    assert [(port["port"], port["targetPort"]) for port in service["spec"]["ports"]] == [(DOOR_PORT, "http")]
    pod = named(objects, "Deployment", "assistant-rasa")["spec"]["template"]["spec"]
    declared = {(container["name"], port["name"], port["containerPort"])
                for container in pod["containers"] for port in container.get("ports", [])}
    assert declared == {("door", "http", DOOR_PORT)}
    for container in pod["containers"]:
        if container["name"] != "door":  # Rasa and the action server: loopback only
            assert "127.0.0.1" in container["command"] or {"name": "SANIC_HOST", "value": "127.0.0.1"} in container[
                "env"]


def allowed_sources(policy: Doc) -> List[Doc]:
    return [source for rule in policy["spec"].get("ingress", []) for source in rule.get("from", [])]


def test_only_the_ingress_and_the_web_tier_reach_the_rasa_pods_door(objects: List[Doc]) -> None:
    policies = of_kind(objects, "NetworkPolicy")
    assert any(policy["spec"]["podSelector"] == {} and not policy["spec"].get("ingress") for policy in policies)
    rasa_labels = named(objects, "Deployment", "assistant-rasa")["spec"]["template"]["metadata"]["labels"]
    web_labels = named(objects, "Deployment", "assistant-web")["spec"]["template"]["metadata"]["labels"]
    selecting = [policy for policy in policies
                 if policy["spec"]["podSelector"] and
                 policy["spec"]["podSelector"]["matchLabels"].items() <= rasa_labels.items()]
    assert len(selecting) == 1
    rules = selecting[0]["spec"]["ingress"]
    assert all(rule["ports"] == [{"protocol": "TCP", "port": DOOR_PORT}] for rule in rules)
    assert allowed_sources(selecting[0]) == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": INGRESS_NAMESPACE}}},
        {"podSelector": {"matchLabels": {key: web_labels[key] for key in
                                         ("app.kubernetes.io/name", "app.kubernetes.io/component")}}},
    ]


def test_no_secret_value_is_in_the_rendered_output(objects: List[Doc], rendered: str) -> None:
    assert not of_kind(objects, "Secret")
    for config_map in of_kind(objects, "ConfigMap"):
        assert not SECRET_SETTINGS & set(config_map.get("data", {})), config_map["metadata"]["name"]
    referenced: Set[str] = set()
    for where, _, container in containers(objects):
        for variable in container.get("env", []):
            if variable["name"] in SECRET_SETTINGS:
                assert "value" not in variable, where
                referenced.add(variable["valueFrom"]["secretKeyRef"]["name"])
    assert referenced == {"assistant-secrets"}
    assert not re.search(r"://[^/@\s]*:[^/@\s]*@", rendered)  # no password in an address


def test_every_container_has_requests_and_runs_as_non_root(objects: List[Doc]) -> None:
    seen = 0
    for where, pod, container in containers(objects):
        seen += 1
        requests: Mapping[str, str] = container["resources"]["requests"]
        assert {"cpu", "memory"} <= set(requests), where
        assert "memory" in container["resources"]["limits"], where
        assert container["securityContext"]["runAsNonRoot"] is True, where
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, where
        assert pod["securityContext"]["runAsNonRoot"] is True, where
    assert seen >= 6


def test_every_long_running_container_is_probed(objects: List[Doc]) -> None:
    for deployment in of_kind(objects, "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            where = f"{deployment['metadata']['name']}/{container['name']}"
            assert "readinessProbe" in container and "livenessProbe" in container, where
            probes = str([container[key] for key in ("readinessProbe", "livenessProbe")])
            assert "/health" in probes or "127.0.0.1:5005/" in probes, where


def test_rasa_is_sized_from_the_measured_figures(objects: List[Doc]) -> None:
    pod = named(objects, "Deployment", "assistant-rasa")["spec"]["template"]["spec"]
    (rasa,) = [container for container in pod["containers"] if container["name"] == "rasa"]
    assert rasa["resources"] == {"requests": {"cpu": "1", "memory": "1536Mi"}, "limits": {"memory": "2Gi"}}


def test_the_rasa_replicas_scale_on_cpu_and_keep_one_through_disruptions(objects: List[Doc]) -> None:
    autoscaler = named(objects, "HorizontalPodAutoscaler", "assistant-rasa")
    assert autoscaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                                    "name": "assistant-rasa"}
    assert autoscaler["spec"]["minReplicas"] >= 2
    assert autoscaler["spec"]["metrics"][0]["containerResource"]["name"] == "cpu"
    assert "replicas" not in named(objects, "Deployment", "assistant-rasa")["spec"]
    budget = named(objects, "PodDisruptionBudget", "assistant-rasa")
    assert budget["spec"]["minAvailable"] >= 1


def test_the_migration_job_runs_the_migrations(objects: List[Doc]) -> None:
    job = named(objects, "Job", "assistant-migrate")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "bot", "db", "upgrade"]
    assert container["image"].endswith("missing-children-assistant-rasa:1.0.0")
