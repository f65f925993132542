# Invoice run: a scheduled fan-out puts one message per customer on this queue (about 40,000 at
# 01:00), and the worker below renders and sends one invoice per message. The network comes from
# the platform team's stack.

variable "private_subnet_ids" {
  type = list(string)
}

variable "db_security_group_id" {
  type = string
}

variable "worker_security_group_id" {
  type = string
}

variable "app_db_secret_arn" {
  type        = string
  description = "Credentials of the billing_app database user (not the master user)."
}

resource "aws_db_subnet_group" "billing" {
  name       = "billing"
  subnet_ids = var.private_subnet_ids
}

resource "aws_db_instance" "billing" {
  identifier                  = "billing"
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = "db.t3.medium"
  allocated_storage           = 100
  username                    = "billing_admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.billing.name
  vpc_security_group_ids      = [var.db_security_group_id]
}

resource "aws_sqs_queue" "invoice_dlq" {
  name                      = "invoice-jobs-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "invoice_jobs" {
  name                       = "invoice-jobs"
  visibility_timeout_seconds = 360 # 6 x the worker's timeout
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.invoice_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_iam_role" "invoice_worker" {
  name = "invoice-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "invoice_worker_vpc" {
  role       = aws_iam_role.invoice_worker.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "invoice_worker" {
  role = aws_iam_role.invoice_worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = aws_sqs_queue.invoice_jobs.arn
      },
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = var.app_db_secret_arn
      },
    ]
  })
}

resource "aws_lambda_function" "invoice_worker" {
  function_name    = "invoice-worker"
  role             = aws_iam_role.invoice_worker.arn
  runtime          = "python3.13"
  handler          = "worker.handler"
  filename         = "build/invoice-worker.zip"
  source_code_hash = filebase64sha256("build/invoice-worker.zip")
  memory_size      = 512
  timeout          = 60
  reserved_concurrent_executions = 25

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [var.worker_security_group_id]
  }

  environment {
    variables = {
      DB_HOST       = aws_db_instance.billing.address
      DB_SECRET_ARN = var.app_db_secret_arn
    }
  }
}

resource "aws_lambda_event_source_mapping" "invoice_jobs" {
  event_source_arn        = aws_sqs_queue.invoice_jobs.arn
  function_name           = aws_lambda_function.invoice_worker.arn
  batch_size              = 1000
  maximum_batching_window_in_seconds = 5
  function_response_types = ["ReportBatchItemFailures"]
  scaling_config {
    maximum_concurrency = 20
  }
}

resource "aws_cloudwatch_log_group" "invoice_worker" {
  name              = "/aws/lambda/invoice-worker"
  retention_in_days = 30
}
