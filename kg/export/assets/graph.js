// The page's behaviour: search, class filters, focus view, edge labels. Text from the graph is only ever
// assigned as text (textContent, option.value, vis tooltips as strings), never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("kg-network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var status = document.getElementById("kg-status");
  var showAllButton = document.getElementById("kg-show-all");
  var searchBox = document.getElementById("kg-search");
  var initialStatus = status.textContent;

  var kg = (window.kg = {
    nodes: nodes,
    edges: edges,
    network: null,
    drawnAt: null, // performance.now() of the first frame
    readyAt: null, // ... of the frame after which nothing moves
  });

  var neighbours = {};
  data.nodes.forEach(function (n) { neighbours[n.id] = []; });
  data.edges.forEach(function (e) {
    neighbours[e.from].push(e.to);
    neighbours[e.to].push(e.from);
  });

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  kg.network = network;
  if (!data.physics) network.fit();

  network.once("afterDrawing", function () {
    kg.drawnAt = performance.now();
    if (!data.physics || data.nodes.length === 0) ready();
  });
  // The layout is computed before the first frame; physics left on would keep it drifting for
  // seconds afterwards, and restart it at every filter, focus or hover label.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
  });
  network.once("stabilized", ready);
  function ready() {
    if (kg.readyAt === null) {
      kg.readyAt = performance.now();
      document.documentElement.setAttribute("data-kg-ready", "true");
    }
  }

  // --- visibility: class filters and the focus view --------------------------------------

  var shownClasses = {};
  var checkboxes = document.querySelectorAll(".kg-class-filter");
  Array.prototype.forEach.call(checkboxes, function (box) {
    shownClasses[box.getAttribute("data-class")] = box.checked;
    box.addEventListener("change", function () {
      shownClasses[box.getAttribute("data-class")] = box.checked;
      applyVisibility();
    });
  });
  var focusSet = null; // ids shown in the focus view, or null
  var movedFrom = {}; // positions before the focus view rearranged a neighbourhood

  function applyVisibility() {
    var changes = [];
    nodes.forEach(function (n) {
      var hide = !shownClasses[n.cls] || (focusSet !== null && !focusSet[n.id]);
      if (Boolean(n.hidden) !== hide) changes.push({ id: n.id, hidden: hide });
    });
    if (changes.length) nodes.update(changes);
  }

  function focusOn(id) {
    clearFocus();
    focusSet = {};
    focusSet[id] = true;
    var around = neighbours[id].filter(function (n) { return !focusSet[n] && (focusSet[n] = true); });
    around.sort();
    if (!data.physics && around.length) {
      // The precomputed layout spreads a neighbourhood over the whole picture: gather it.
      var centre = network.getPositions([id])[id];
      var old = network.getPositions(around);
      var radius = 120 + 12 * around.length;
      around.forEach(function (n, i) {
        movedFrom[n] = old[n];
        var angle = (2 * Math.PI * i) / around.length;
        network.moveNode(n, centre.x + radius * Math.cos(angle), centre.y + radius * Math.sin(angle));
      });
    }
    applyVisibility();
    network.selectNodes([id]);
    network.fit({ nodes: [id].concat(around), animation: false });
    labelEdges();
    showAllButton.disabled = false;
    status.textContent = nodes.get(id).label + ": " + around.length + " neighbours";
  }

  function clearFocus() {
    Object.keys(movedFrom).forEach(function (n) { network.moveNode(n, movedFrom[n].x, movedFrom[n].y); });
    movedFrom = {};
    focusSet = null;
  }

  function showAll() {
    clearFocus();
    applyVisibility();
    network.unselectAll();
    labelEdges();
    network.fit({ animation: false });
    showAllButton.disabled = true;
    status.textContent = initialStatus;
  }

  network.on("click", function (params) {
    if (params.nodes.length) focusOn(params.nodes[0]);
    else labelEdges();
  });
  showAllButton.addEventListener("click", showAll);

  // --- edge labels: only for the hovered edge, the selection and the focus view -----------
  // Drawn for every edge they pile up around hubs; the relation is always in the tooltip.

  var hoveredEdge = null;
  var labelled = {}; // edge id -> true while its predicate is drawn

  function labelEdges() {
    var wanted = {};
    if (hoveredEdge !== null) wanted[hoveredEdge] = true;
    network.getSelectedEdges().forEach(function (id) { wanted[id] = true; });
    if (focusSet !== null) {
      data.edges.forEach(function (e) { if (focusSet[e.from] && focusSet[e.to]) wanted[e.id] = true; });
    }
    var changes = [];
    // vis-network keeps an edge's old label when given "", null or undefined (visjs/vis-network
    // issue 739): a space is the label that draws nothing.
    Object.keys(labelled).forEach(function (id) { if (!wanted[id]) changes.push({ id: id, label: " " }); });
    Object.keys(wanted).forEach(function (id) {
      if (!labelled[id]) changes.push({ id: id, label: edges.get(id).predicate });
    });
    labelled = wanted;
    if (changes.length) edges.update(changes);
  }

  network.on("hoverEdge", function (params) { hoveredEdge = params.edge; labelEdges(); });
  network.on("blurEdge", function () { hoveredEdge = null; labelEdges(); });

  // --- search ----------------------------------------------------------------------------

  var byName = {}; // exact name -> ids, labels before aliases
  function index(name, id) { (byName[name] = byName[name] || []).push(id); }
  data.nodes.forEach(function (n) { index(n.label, n.id); });
  data.nodes.forEach(function (n) { n.aliases.forEach(function (a) { index(a, n.id); }); });
  var names = document.getElementById("kg-names");
  Object.keys(byName).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    names.appendChild(option);
  });

  function find(query) {
    if (byName[query]) return byName[query][0];
    var lower = query.toLowerCase();
    var hits = data.nodes.filter(function (n) {
      return [n.label].concat(n.aliases).some(function (s) { return s.toLowerCase().indexOf(lower) >= 0; });
    });
    hits.sort(function (a, b) { return a.label.length - b.label.length || (a.label < b.label ? -1 : 1); });
    return hits.length ? hits[0].id : null;
  }

  function search(query) {
    query = query.trim();
    if (!query) return;
    var id = find(query);
    if (id === null) {
      status.textContent = "No entity named “" + query + "”";
      return;
    }
    var node = nodes.get(id);
    if (!shownClasses[node.cls]) {
      shownClasses[node.cls] = true;
      document.querySelector('.kg-class-filter[data-class="' + node.cls + '"]').checked = true;
    }
    if (focusSet !== null && !focusSet[id]) {
      clearFocus();
      showAllButton.disabled = true;
    }
    applyVisibility();
    network.selectNodes([id]);
    labelEdges();
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 300 } });
    status.textContent = "Found " + node.label + " (" + node.cls + ")";
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(searchBox.value);
  });
  searchBox.addEventListener("input", function (event) {
    // Picking a name from the suggestion list is an input event of its own kind.
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) search(searchBox.value);
  });
})();
